"""Настоящие воркеры Celery: заказ доходит до МоегоСклада ровно один раз, даже если воркер убит посреди запроса."""

import signal

import pytest

from commerce.orders.services import order_mark_paid
from integrations.core.models import Delivery, DeliveryState
from tests.integrations.amocrm.test_outbox_worker import integrations_worker  # noqa: F401 — фикстура воркера
from tests.integrations.core.test_outbox import wait_until
from tests.integrations.core.test_outbox_crash import _beat, _worker_start, broker_mode  # noqa: F401
from tests.integrations.moysklad.helpers import catalog_seed, order_place, sync, synced_variant


def all_delivered():
    return not Delivery.objects.exclude(state=DeliveryState.DELIVERED).exists()


@pytest.mark.redis_only(reason="воркер-подпроцесс берёт задачи из брокера Redis")
@pytest.mark.postgres_only(reason="воркер-подпроцесс подключается к той же базе по сети")
@pytest.mark.django_db(transaction=True)
def test_order_push_survives_a_worker_killed_after_moysklad_created_the_order(
    shop,
    ms,
    fake,
    broker_mode,  # noqa: F811
):
    # given: каталог загружен; МойСклад создаёт заказ, но отвечает только через 30 с
    ids = catalog_seed(fake)
    sync(ms, full=True)
    fake.create_delay["customerorder"] = 30
    order = order_place(shop, [(synced_variant(ms, ids["mug"]), 1)])
    worker = _worker_start()
    try:
        # when: воркер отправил заказ и ждёт ответа — убиваем его
        _beat()
        assert fake.create_started.wait(120), "воркер не начал создание заказа"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        # новый воркер; аренда доставки убитого истекает через 2 с
        worker = _worker_start()
        delivered = wait_until(all_delivered, timeout=180, tick=_beat)
    finally:
        worker.kill()
        worker.wait(10)

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
    integrations_worker,  # noqa: F811
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
    assert wait_until(lambda: Delivery.objects.filter(attempts__gt=0).exists(), timeout=30, tick=_beat)
    fake.down = False
    assert wait_until(all_delivered, timeout=120, tick=_beat)

    # then: по заказу и платежу на каждый наш заказ, 429 от МоегоСклада не было
    assert sorted(row["externalCode"] for row in fake.entities["customerorder"].values()) == sorted(
        order.number for order in orders
    )
    assert len(fake.entities["paymentin"]) == 3
    assert fake.throttled == 0
