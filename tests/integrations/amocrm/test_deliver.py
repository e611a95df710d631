"""Заказы — сделки amoCRM: сделка с контактом и составом один раз, поиск контакта, этапы, повторы 5xx/429."""

from decimal import Decimal

import pytest

from commerce.orders.services import order_mark_paid, order_status_change
from integrations.core.models import Delivery, DeliveryState, ExternalId, ExternalKind
from tests.integrations.amocrm.conftest import FIELD_MAP
from tests.integrations.amocrm.fake_amocrm import MANAGER_ID, PIPELINE_ID, STAGE_LOST, STAGE_NEW, STAGE_PAID
from tests.integrations.amocrm.helpers import order_place
from tests.integrations.helpers import deliver_all, redeliver


def lead_of(fake, order):
    (lead,) = [lead for lead in fake.leads.values() if lead["name"] == f"Заказ {order.number}"]
    return lead


def field_values(lead):
    return {field["field_id"]: field["values"][0]["value"] for field in lead.get("custom_fields_values") or []}


@pytest.mark.django_db
def test_order_becomes_a_lead_with_a_new_contact_fields_and_a_lines_note(shop, amo, fake):
    # when
    order = order_place(shop)
    assert deliver_all(amo) == [True]

    # then: сделка в воронке на этапе «новый», бюджет в рублях, поля по field_map
    lead = lead_of(fake, order)
    assert order.total == Decimal("5000.00") + order.delivery_cost
    assert lead["price"] == int(order.total)
    assert (lead["pipeline_id"], lead["status_id"]) == (PIPELINE_ID, STAGE_NEW)
    values = field_values(lead)
    assert values[FIELD_MAP["order_number"]] == order.number
    assert values[FIELD_MAP["region"]] == "Москва"
    assert values[FIELD_MAP["delivery_method"]] == "курьер"
    assert values[FIELD_MAP["payment_status"]] == "не оплачен"
    assert values[FIELD_MAP["admin_url"]].endswith(f"/admin/snippets/orders/order/edit/{order.pk}/")
    # контакт создан вместе со сделкой (complex), телефон — в E.164
    (contact,) = fake.contacts.values()
    assert lead["_embedded"]["contacts"] == [{"id": contact["id"]}]
    assert contact["name"] == "Иван Петров"
    phones = [
        field["values"][0]["value"] for field in contact["custom_fields_values"] if field["field_code"] == "PHONE"
    ]
    assert phones == ["+79161234567"]
    # состав заказа — заметкой
    (note,) = fake.notes_of(lead["id"])
    assert note["params"]["text"].startswith(f"Состав заказа {order.number}:")
    assert "арт. SHIRT-1: 2 × 2500.00 = 5000.00" in note["params"]["text"]
    assert ExternalId.objects.get(connection=amo, kind=ExternalKind.ORDER).external_id == str(lead["id"])


@pytest.mark.django_db
def test_redelivery_changes_nothing_twice(shop, amo, fake):
    order = order_place(shop)
    deliver_all(amo)

    assert redeliver(amo) == [True]

    assert len([lead for lead in fake.leads.values() if lead["name"] == f"Заказ {order.number}"]) == 1
    assert len(fake.contacts) == 1
    assert len(fake.notes) == 1


@pytest.mark.django_db
def test_lost_answer_of_lead_creation_does_not_create_a_second_lead(shop, amo, fake):
    # given: сделка создана, но ответ amoCRM потерялся — сопоставления у нас нет
    order = order_place(shop)
    deliver_all(amo)
    ExternalId.objects.filter(connection=amo).delete()

    # when: outbox доставляет снова
    redeliver(amo)

    # then: сделка найдена по номеру заказа, вторая не создана
    lead = lead_of(fake, order)
    assert len(fake.leads) == 1
    assert ExternalId.objects.get(connection=amo, kind=ExternalKind.ORDER).external_id == str(lead["id"])
    assert len(fake.notes_of(lead["id"])) == 1


@pytest.mark.django_db
def test_existing_contact_is_found_by_phone_written_in_another_format(shop, amo, fake):
    # given: менеджер завёл покупателя с телефоном в другой записи
    existing = fake.contact_add(name="Иван (звонил)", phone="8 (916) 123-45-67")

    # when
    order = order_place(shop, phone="+7 916 123-45-67")
    deliver_all(amo)

    # then: сделка привязана к нему, нового контакта нет, complex не вызывался
    assert lead_of(fake, order)["_embedded"]["contacts"] == [{"id": existing}]
    assert list(fake.contacts) == [existing]
    assert fake.api_requests("POST", "/api/v4/leads/complex") == []


@pytest.mark.django_db
def test_existing_contact_is_found_by_email_when_the_phone_differs(shop, amo, fake):
    existing = fake.contact_add(name="Иван", phone="+7 903 000-00-00", email="IVAN@example.ru")

    order = order_place(shop)
    deliver_all(amo)

    assert lead_of(fake, order)["_embedded"]["contacts"] == [{"id": existing}]
    assert len(fake.contacts) == 1


@pytest.mark.django_db
def test_two_orders_of_one_customer_share_one_contact(shop, amo, fake):
    first = order_place(shop)
    second = order_place(shop, phone="89161234567")
    deliver_all(amo)

    assert len(fake.contacts) == 1
    assert lead_of(fake, first)["_embedded"]["contacts"] == lead_of(fake, second)["_embedded"]["contacts"]


@pytest.mark.django_db
def test_order_status_moves_the_lead_by_the_stage_map_with_a_note(shop, amo, fake):
    # given
    order = order_place(shop)
    deliver_all(amo)

    # when: оплачен, потом отменён
    order_mark_paid(order=order, payment_reference="pay-1")
    deliver_all(amo)
    lead = lead_of(fake, order)
    paid_stage, paid_field = lead["status_id"], field_values(lead)[FIELD_MAP["payment_status"]]
    order_status_change(order=order, to_status="cancelled", comment="покупатель передумал")
    deliver_all(amo)

    # then
    assert paid_stage == STAGE_PAID
    assert paid_field == "оплачен"
    assert lead_of(fake, order)["status_id"] == STAGE_LOST
    texts = [note["params"]["text"] for note in fake.notes_of(lead["id"])]
    assert texts[1:] == [
        f"Статус заказа {order.number} в магазине: «новый» → «оплачен».",
        f"Статус заказа {order.number} в магазине: «оплачен» → «отменён».",
    ]
    # повтор тех же событий не добавляет заметок и не двигает сделку
    redeliver(amo)
    assert len(fake.notes_of(lead["id"])) == 3
    assert fake.leads[lead["id"]]["responsible_user_id"] == MANAGER_ID


@pytest.mark.django_db
def test_5xx_and_429_are_retried_by_the_outbox_and_the_lead_is_created_once(shop, amo, fake):
    # given: amoCRM отвечает 503, затем 429 с Retry-After
    order = order_place(shop)
    fake.fail.extend([503, 429])

    # when: первые две попытки не удались
    assert deliver_all(amo) == [False]
    delivery = Delivery.objects.get(connection=amo)
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 1)
    assert "503" in delivery.last_error
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created_at)
    assert deliver_all(amo) == [False]
    delivery.refresh_from_db()
    assert "429" in delivery.last_error
    assert delivery.next_attempt_at > delivery.created_at

    # then: третья — доставлена, сделка одна
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created_at)
    assert deliver_all(amo) == [True]
    assert len(fake.leads) == 1
    assert lead_of(fake, order)


@pytest.mark.django_db
def test_revoked_access_keeps_events_waiting(shop, fake, httpserver):
    from tests.integrations.amocrm.conftest import amo_connection_create

    connection = amo_connection_create(fake, httpserver, secrets={"client_secret": fake.client_secret})
    order_place(shop)

    assert deliver_all(connection) == [False]

    delivery = Delivery.objects.get(connection=connection)
    assert delivery.state == DeliveryState.PENDING
    assert delivery.last_error.startswith("Нет доступа к amoCRM: вставьте код авторизации")
    assert fake.leads == {}


def test_lines_note_shows_a_line_discount_so_the_sum_adds_up(shop):
    from integrations.amocrm.mapping import lines_note_text
    from tests.factories.orders import OrderFactory, OrderLineFactory

    order = OrderFactory(region=shop.msk)
    sale = OrderLineFactory(order=order, sku="SALE-1", unit_price="2500.00", quantity=2, discount="500.00")
    sale.line_total = Decimal("4500.00")
    plain = OrderLineFactory(order=order, sku="PLAIN-1")

    text = lines_note_text(order, [sale, plain])

    assert "арт. SALE-1: 2 × 2500.00, скидка 500.00 = 4500.00" in text
    assert "арт. PLAIN-1: 2 × 500.00 = 1000.00" in text
