"""Настоящие воркеры Celery: заказ доходит до МоегоСклада ровно один раз, даже если воркер убит посреди запроса."""

import pytest

from commerce.orders.services import order_mark_paid
from integrations.core.models import Delivery
from tests.integrations.helpers import all_delivered, delivered_after_worker_killed, order_place, wait_until
from tests.integrations.moysklad.helpers import catalog_seed, sync, synced_variant


@pytest.mark.redis_only(reason="воркер-подпроцесс берёт задачи из брокера Redis")
@pytest.mark.postgres_only(reason="воркер-подпроцесс подключается к той же базе по сети")
@pytest.mark.django_db(transaction=True)
def test_order_push_survives_a_worker_killed_after_moysklad_created_the_order(
    shop,
    ms,
    fake,
    broker_mode,
):
    # given: каталог загружен; МойСклад создаёт заказ, но отвечает только через 30 с
    ids = catalog_seed(fake)
    sync(ms, full=True)
    fake.create_delay["customerorder"] = 30
    order = order_place(shop, [(synced_variant(ms, ids["mug"]), 1)])

    # when: воркер отправил запрос и ждёт ответа — его убивают, доставку берёт новый воркер
    delivered = delivered_after_worker_killed(fake.create_started)

    # then: в МоёмСкладе один заказ (второй воркер нашёл его по externalCode), POST был один
    assert delivered
    (document,) = fake.entities["customerorder"].values()
    assert document["externalCode"] == order.number
    assert fake.count("POST", "/entity/customerorder") == 1


@pytest.mark.redis_only(reason="настоящий воркер Celery берёт задачи из брокера Redis")
@pytest.mark.django_db(transaction=True)
def test_orders_made_while_moysklad_is_down_arrive_once_each_with_their_payments(
    shop,
    ms,
    fake,
    integrations_worker,
):
    # given: каталог загружен, потом МойСклад лёг
    ids = catalog_seed(fake)
    sync(ms, full=True)
    fake.down = True

    # when: три заказа оформлены и оплачены
    orders = []
    for _ in range(3):
        order = order_place(shop, [(synced_variant(ms, ids["mug"]), 1)])
        order_mark_paid(order=order, payment_reference="pay-1")
        orders.append(order)
    assert wait_until(lambda: Delivery.objects.filter(attempts__gt=0).exists(), timeout=30)
    fake.down = False
    assert wait_until(all_delivered, timeout=120)

    # then: по заказу и платежу на каждый наш заказ, 429 от МоегоСклада не было
    assert sorted(row["externalCode"] for row in fake.entities["customerorder"].values()) == sorted(
        order.number for order in orders
    )
    assert len(fake.entities["paymentin"]) == 3
    assert fake.throttled == 0
