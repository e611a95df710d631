"""Строки заказа — товарами сделки (списки amoCRM) и покупатели — контактами (customer.*)."""

import pytest

from integrations.core.models import ExternalId, ExternalKind
from integrations.core.services import connection_check
from tests.factories.accounts import UserFactory
from tests.integrations.amocrm.fake_amocrm import PRODUCTS_CATALOG_ID
from tests.integrations.amocrm.helpers import order_place
from tests.integrations.helpers import deliver_all, redeliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def amo_catalog(amo):
    amo.options = {**amo.options, "catalog_id": PRODUCTS_CATALOG_ID}
    amo.save(update_fields=["options"])
    return amo


def test_order_lines_become_products_of_the_deal_once_under_redelivery(shop, amo_catalog, fake):
    # when — заказ доставлен, потом outbox прислал его ещё раз
    order = order_place(shop, quantity=3)
    deliver_all(amo_catalog)
    redeliver(amo_catalog)

    # then — один элемент «Товары» с артикулом и ценой, привязан к сделке с количеством 3
    (lead_id,) = fake.leads
    (line,) = order.lines.all()
    assert fake.lead_products(lead_id) == {line.sku: 3}
    (element,) = fake.elements.values()
    fields = {field["field_code"]: field["values"][0]["value"] for field in element["custom_fields_values"]}
    assert fields == {"SKU": line.sku, "PRICE": int(line.unit_price)}
    assert len(fake.api_requests("POST", f"/api/v4/leads/{lead_id}/link")) == 1
    assert ExternalId.objects.filter(connection=amo_catalog, kind=ExternalKind.VARIANT).count() == 1
    # заметка с составом заказа остаётся: в ней доставка, оплата и итог
    assert len(fake.notes_of(lead_id)) == 1


def test_product_the_manager_created_is_found_by_sku_not_duplicated(shop, amo_catalog, fake):
    # given — менеджер уже завёл товар с тем же артикулом
    element_id = fake.element_add(name="Рубашка (вручную)", sku=shop.shirt.sku)

    order_place(shop)
    deliver_all(amo_catalog)

    (lead_id,) = fake.leads
    assert list(fake.elements) == [element_id]
    assert fake.lead_products(lead_id) == {shop.shirt.sku: 2}


def test_second_order_reuses_the_mapped_element_without_searching(shop, amo_catalog, fake):
    order_place(shop)
    deliver_all(amo_catalog)
    searches = len(fake.api_requests("GET", f"/api/v4/catalogs/{PRODUCTS_CATALOG_ID}/elements"))

    order_place(shop, quantity=1)
    deliver_all(amo_catalog)

    assert len(fake.elements) == 1
    assert len(fake.api_requests("GET", f"/api/v4/catalogs/{PRODUCTS_CATALOG_ID}/elements")) == searches
    assert sorted(fake.lead_products(lead_id)[shop.shirt.sku] for lead_id in fake.leads) == [1, 2]


def test_without_catalog_id_lines_stay_a_note_and_check_suggests_the_products_list(shop, amo, fake):
    order_place(shop)
    deliver_all(amo)
    result = connection_check(connection=amo)

    assert fake.elements == {}
    assert fake.links == {}
    assert f"список {PRODUCTS_CATALOG_ID}" in result.message


def test_check_refuses_a_catalog_id_that_is_not_in_the_account(amo, fake):
    amo.options = {**amo.options, "catalog_id": 404404}
    amo.save(update_fields=["options"])

    result = connection_check(connection=amo)

    assert not result.ok
    assert "404404" in result.message


# --- Покупатели ---------------------------------------------------------------------------------------


def test_registered_customer_becomes_a_contact_once(amo, fake):
    # when — покупатель зарегистрировался, потом outbox прислал событие ещё раз
    user = UserFactory(first_name="Ольга", last_name="Смирнова", phone="+79031112233", email="olga@example.ru")
    deliver_all(amo)
    redeliver(amo)

    # then
    (contact,) = fake.contacts.values()
    assert contact["name"] == "Ольга Смирнова"
    phones = [
        value["value"]
        for field in contact["custom_fields_values"]
        if field["field_code"] == "PHONE"
        for value in field["values"]
    ]
    assert phones == ["+79031112233"]
    mapped = ExternalId.objects.get(connection=amo, kind=ExternalKind.CUSTOMER, object_id=str(user.pk))
    assert int(mapped.external_id) == contact["id"]


def test_existing_contact_is_found_by_phone_in_another_format_and_updated(amo, fake):
    contact_id = fake.contact_add(name="Клиент", phone="8 (903) 111-22-33")

    UserFactory(first_name="Ольга", last_name="", phone="+79031112233", email="")
    deliver_all(amo)

    assert list(fake.contacts) == [contact_id]
    assert fake.contacts[contact_id]["name"] == "Ольга"


def test_changed_customer_adds_the_new_phone_and_keeps_the_managers_numbers(amo, fake):
    # given — контакт передан, менеджер дописал рабочий номер
    user = UserFactory(first_name="Ольга", phone="+79031112233", email="")
    deliver_all(amo)
    (contact_id,) = fake.contacts
    fake.contacts[contact_id]["custom_fields_values"][0]["values"].append({"value": "+74951234567"})

    # when — покупатель сменил телефон и имя у нас
    user.phone, user.first_name = "+79035556677", "Оля"
    user.save()
    deliver_all(amo)

    # then
    contact = fake.contacts[contact_id]
    phones = [value["value"] for value in contact["custom_fields_values"][0]["values"]]
    assert contact["name"] == "Оля"
    assert phones == ["+79031112233", "+74951234567", "+79035556677"]
    assert len(fake.contacts) == 1


def test_customer_without_phone_and_email_is_not_sent(amo, fake):
    UserFactory(first_name="Аноним", phone=None, email="")

    outcomes = deliver_all(amo)

    assert fake.contacts == {}
    assert fake.api_requests("POST", "/api/v4/contacts") == []
    assert outcomes  # событие доставлено (и закрыто), а не оставлено висеть


def test_sync_customers_off_sends_no_contacts(amo, fake):
    amo.options = {**amo.options, "sync_customers": False}
    amo.save(update_fields=["options"])

    UserFactory(first_name="Ольга", phone="+79031112233")
    deliver_all(amo)

    assert fake.contacts == {}


def test_contact_deleted_in_amocrm_is_created_again(amo, fake):
    user = UserFactory(first_name="Ольга", phone="+79031112233", email="")
    deliver_all(amo)
    fake.contacts.clear()  # менеджер удалил контакт

    user.first_name = "Оля"
    user.save()
    deliver_all(amo)

    (contact,) = fake.contacts.values()
    assert contact["name"] == "Оля"
    mapped = ExternalId.objects.get(connection=amo, kind=ExternalKind.CUSTOMER, object_id=str(user.pk))
    assert int(mapped.external_id) == contact["id"]


@pytest.mark.postgres_only(reason="две доставки пишут в базу из потоков: SQLite в памяти блокирует таблицу целиком")
@pytest.mark.django_db(transaction=True)
def test_registration_and_first_order_delivered_at_once_make_one_contact(shop, amo, fake):
    from django.utils import timezone
    from rest_framework.test import APIClient

    from commerce.orders.models import Order
    from integrations.core.models import Delivery
    from integrations.core.outbox import deliveries_claim, delivery_send
    from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request, run_concurrently

    # given — покупатель зарегистрировался и сразу оформил заказ, пока amoCRM лежал: обе доставки
    # ждут повтора; поиск контактов в amoCRM медленный, так что оба воркера ищут до того, как
    # кто-то создаст
    fake.down = True
    user = UserFactory(first_name="Ольга", phone="+79031112233", email="olga@example.ru")
    client = APIClient()
    client.force_authenticate(user=user)
    payload = checkout_payload()
    payload["contact"] = {**payload["contact"], "phone": "+79031112233", "email": "olga@example.ru"}
    response = checkout_request(
        cart=cart_create(region=shop.msk, lines=[(shop.shirt, 1)], user=user), payload=payload, client=client
    )
    assert response.status_code == 201, response.content
    assert Order.objects.get(number=response.json()["number"]).user_id == user.pk
    fake.down, fake.search_delay = False, 0.3
    Delivery.objects.filter(connection=amo).update(next_attempt_at=timezone.now())  # время повтора пришло
    claimed = [item for item in deliveries_claim(limit=50) if item.connection_id == amo.pk]
    customer = [item for item in claimed if item.event.kind.startswith("customer.")]
    order = [item for item in claimed if item.event.kind == "order.created"]
    assert customer and order

    # when — первое событие покупателя и создание заказа доставляются одновременно
    results = run_concurrently([lambda: delivery_send(customer[0]), lambda: delivery_send(order[0])])
    deliver_all(amo)

    # then — один контакт, сделка привязана к нему, сопоставление одно
    assert not [result for result in results if isinstance(result, BaseException)], results
    assert not Delivery.objects.exclude(state="delivered").exists(), list(
        Delivery.objects.values_list("event__kind", "state", "last_error")
    )
    (contact_id,) = fake.contacts
    (lead,) = fake.leads.values()
    assert lead["_embedded"]["contacts"] == [{"id": contact_id}]
    mapped = ExternalId.objects.filter(connection=amo, kind=ExternalKind.CUSTOMER, object_id=str(user.pk))
    assert list(mapped.values_list("external_id", flat=True)) == [str(contact_id)]
