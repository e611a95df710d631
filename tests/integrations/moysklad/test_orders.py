"""Заказы магазина — в МойСклад: заказ покупателя ровно один раз, контрагент, копейки, оплата и отмена."""

import pytest

from commerce.orders.services import order_cancel_by_customer, order_mark_paid
from integrations.core.models import Delivery, DeliveryState, ExternalId, ExternalKind
from tests.integrations.helpers import deliver_all, order_place, redeliver
from tests.integrations.moysklad.helpers import catalog_seed, sync, synced_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(ms, fake):
    ids = catalog_seed(fake)
    sync(ms, full=True)
    return ids


def only_order(fake):
    (order,) = fake.entities["customerorder"].values()
    return order


def test_order_becomes_a_customerorder_with_positions_in_kopecks_and_a_new_counterparty(shop, ms, fake, catalog):
    # given
    mug, small = synced_variant(ms, catalog["mug"]), synced_variant(ms, catalog["small"])
    order = order_place(shop, [(mug, 2), (small, 1)])

    # when
    assert deliver_all(ms) == [True]

    # then: номер заказа в name и externalCode, юрлицо и склад из настроек, позиции — товар и модификация
    document = only_order(fake)
    assert (document["name"], document["externalCode"]) == (order.number, order.number)
    assert document["organization"]["meta"]["href"].endswith(fake.organization)
    assert document["store"]["meta"]["href"].endswith(fake.store_main)
    positions = {item["assortment"]["meta"]["href"].rsplit("/", 1)[-1]: item for item in document["positions"]}
    assert positions[catalog["mug"]]["assortment"]["meta"]["type"] == "product"
    assert positions[catalog["small"]]["assortment"]["meta"]["type"] == "variant"
    line = order.lines.get(variant=mug)
    assert positions[catalog["mug"]]["price"] == int(line.unit_price * 100)
    assert (positions[catalog["mug"]]["quantity"], positions[catalog["mug"]]["reserve"]) == (2, 2)
    # контрагент создан по телефону и e-mail покупателя
    (counterparty,) = fake.entities["counterparty"].values()
    assert counterparty["phone"] == "+79161234567"
    assert document["agent"]["meta"]["href"].endswith(counterparty["id"])
    assert ExternalId.objects.filter(connection=ms, kind=ExternalKind.ORDER, object_id=str(order.pk)).exists()


def test_existing_counterparty_is_found_by_phone_in_another_format(shop, ms, fake, catalog):
    known = fake._put("counterparty", {"name": "Иван", "phone": "8 (916) 123-45-67"})["id"]
    order_place(shop, [(synced_variant(ms, catalog["mug"]), 1)])

    deliver_all(ms)

    assert len(fake.entities["counterparty"]) == 1
    assert only_order(fake)["agent"]["meta"]["href"].endswith(known)


def test_existing_counterparty_is_found_by_email_when_the_phone_differs(shop, ms, fake, catalog):
    known = fake._put("counterparty", {"name": "Иван", "phone": "+79990000000", "email": "Ivan@Example.ru"})["id"]
    order_place(shop, [(synced_variant(ms, catalog["mug"]), 1)])

    deliver_all(ms)

    assert len(fake.entities["counterparty"]) == 1
    assert only_order(fake)["agent"]["meta"]["href"].endswith(known)


def test_delivery_is_a_service_position_and_vat_and_reserve_follow_the_options(shop, ms, fake, catalog):
    # given: доставка — услуга МоегоСклада, НДС позиций 20 %, без резерва
    delivery = fake.service_add("Доставка курьером", prices={fake.retail: 30000})
    ms.options = {**ms.options, "delivery_service": delivery, "vat": 20, "reserve": False}
    ms.save(update_fields=["options"])
    order = order_place(shop, [(synced_variant(ms, catalog["mug"]), 2)])
    assert order.delivery_cost > 0

    # when
    assert deliver_all(ms) == [True]

    # then: доставка — позиция-услуга по цене доставки; у товаров НДС из настроек и нет резерва
    document = only_order(fake)
    (service,) = [item for item in document["positions"] if item["assortment"]["meta"]["type"] == "service"]
    assert service["assortment"]["meta"]["href"].endswith(delivery)
    assert (service["quantity"], service["price"]) == (1, int(order.delivery_cost * 100))
    goods = [item for item in document["positions"] if item is not service]
    assert [(item["vat"], "reserve" in item) for item in goods] == [(20, False)]
    assert document["vatEnabled"] is True
    assert sum(item["price"] * item["quantity"] for item in document["positions"]) == int(order.total * 100)


def test_delivery_without_a_service_is_written_into_the_order_description(shop, ms, fake, catalog):
    order = order_place(shop, [(synced_variant(ms, catalog["mug"]), 1)])

    deliver_all(ms)

    document = only_order(fake)
    assert [item["assortment"]["meta"]["type"] for item in document["positions"]] == ["product"]
    assert f"Стоимость доставки: {order.delivery_cost}" in document["description"]


def test_redelivery_and_a_lost_answer_never_create_a_second_order(shop, ms, fake, catalog):
    # given: заказ передан
    order = order_place(shop, [(synced_variant(ms, catalog["mug"]), 1)])
    deliver_all(ms)

    # when: доставка повторена, а потом ещё раз — будто ответ МоегоСклада потерялся и сопоставления нет
    redeliver(ms)
    ExternalId.objects.filter(connection=ms, kind=ExternalKind.ORDER).delete()
    redeliver(ms)

    # then: заказ в МоёмСкладе один, сопоставление восстановлено по externalCode
    assert len(fake.entities["customerorder"]) == 1
    assert fake.count("POST", "/entity/customerorder") == 1
    mapped = ExternalId.objects.get(connection=ms, kind=ExternalKind.ORDER)
    assert (mapped.object_id, mapped.external_id) == (str(order.pk), only_order(fake)["id"])


def test_payment_here_creates_one_incoming_payment_and_moves_the_state(shop, ms, fake, catalog):
    order = order_place(shop, [(synced_variant(ms, catalog["mug"]), 1)])
    deliver_all(ms)

    order_mark_paid(order=order, payment_reference="pay-1")
    deliver_all(ms)
    redeliver(ms)

    (payment,) = fake.entities["paymentin"].values()
    assert payment["sum"] == int(order.total * 100)
    assert payment["operations"][0]["meta"]["href"].endswith(only_order(fake)["id"])
    # «Собран» сопоставлен «оплачен» только названием: статус по id не ставится — остаётся «Новый»
    assert only_order(fake)["state"]["meta"]["href"].endswith(fake.state_id("Новый"))


def test_cancellation_here_sets_the_cancelled_state_and_unposts_the_order(shop, ms, fake, catalog):
    order = order_place(shop, [(synced_variant(ms, catalog["mug"]), 1)])
    deliver_all(ms)

    order_cancel_by_customer(order=order)
    deliver_all(ms)

    document = only_order(fake)
    assert document["state"]["meta"]["href"].endswith(fake.state_id("Отменен"))
    assert document["applicable"] is False


def test_line_not_from_moysklad_makes_the_event_dead_with_a_reason(shop, ms, fake):
    order_place(shop, [(shop.shirt, 1)])

    assert deliver_all(ms) == [False]

    delivery = Delivery.objects.get(connection=ms)
    assert delivery.state == DeliveryState.DEAD
    assert "SHIRT-1" in delivery.last_error
    assert fake.entities["customerorder"] == {}
