"""Истечение резервов: задача Celery beat снимает просроченные и никогда не трогает оплаченные."""

from datetime import timedelta

import pytest
from django.utils import timezone

from commerce.inventory.models import Stock
from commerce.orders import services, tasks
from commerce.orders.models import Order, ReservationState
from commerce.orders.status import OrderStatus
from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request, run_concurrently


def place(shop, *, quantity=1, payment_method="online", variant=None):
    cart = cart_create(region=shop.msk, lines=[(variant or shop.shirt, quantity)])
    response = checkout_request(cart=cart, payload=checkout_payload(payment_method=payment_method))
    assert response.status_code == 201, response.json()
    return Order.objects.get(number=response.json()["number"])


def reserved(shop, variant=None):
    return Stock.objects.get(variant=variant or shop.shirt, warehouse=shop.msk_warehouse).reserved


@pytest.mark.django_db(transaction=True)
def test_expired_reservation_is_released_by_the_beat_task_on_a_real_worker(shop, celery_worker, settings):
    # given: два неоплаченных заказа, у одного резерв истёк; и оплаченный заказ с истёкшим сроком
    settings.ORDERS_NOTIFY_SMS = settings.ORDERS_NOTIFY_EMAIL = False
    expired = place(shop, quantity=2)
    fresh = place(shop, quantity=1)
    paid = place(shop, quantity=1)
    services.order_mark_paid(order=paid, payment_reference="pay-1")
    past = timezone.now() - timedelta(minutes=1)
    Order.objects.filter(pk__in=[expired.pk, paid.pk]).update(reserved_until=past)
    assert reserved(shop) == 3
    # when: задача уходит через Redis настоящему воркеру
    result = tasks.orders_reservations_expire.delay()
    # then
    assert result.get(timeout=30) == 1
    expired.refresh_from_db()
    fresh.refresh_from_db()
    paid.refresh_from_db()
    assert expired.status == OrderStatus.CANCELLED
    assert list(expired.reservations.values_list("state", flat=True)) == [ReservationState.RELEASED]
    assert expired.history.last().comment.startswith("Резерв истёк")
    assert fresh.status == OrderStatus.NEW
    assert paid.status == OrderStatus.PAID
    stock = Stock.objects.get(variant=shop.shirt, warehouse=shop.msk_warehouse)
    assert (stock.quantity, stock.reserved) == (4, 1)  # оплаченный списан, свежий в резерве


@pytest.mark.django_db
def test_unconfirmed_cash_on_delivery_order_is_cancelled_after_configured_hours(shop, settings):
    # given: заказ с оплатой при получении, менеджер его не подтвердил
    settings.ORDERS_COD_RESERVATION_HOURS = 24
    order = place(shop, quantity=2, payment_method="cash_on_delivery")
    assert reserved(shop) == 2
    # when: до срока задача его не трогает, после срока — отменяет
    assert services.orders_reservations_expire(now=timezone.now() + timedelta(hours=23)) == 0
    assert services.orders_reservations_expire(now=timezone.now() + timedelta(hours=25)) == 1
    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.history.last().comment == "Резерв истёк: заказ с оплатой при получении не подтверждён."
    assert reserved(shop) == 0


@pytest.mark.django_db
def test_cash_on_delivery_order_confirmed_by_manager_keeps_its_reservation(shop, settings):
    # given: менеджер подтвердил заказ — перевёл в «собирается»
    settings.ORDERS_COD_RESERVATION_HOURS = 24
    order = place(shop, payment_method="cash_on_delivery")
    services.order_status_change(order=order, to_status=OrderStatus.ASSEMBLING)
    # when
    expired = services.orders_reservations_expire(now=timezone.now() + timedelta(days=30))
    # then
    order.refresh_from_db()
    assert expired == 0
    assert (order.status, order.reserved_until) == (OrderStatus.ASSEMBLING, None)
    assert reserved(shop) == 1


@pytest.mark.django_db
def test_cash_on_delivery_orders_never_expire_when_expiry_is_off(shop, settings):
    settings.ORDERS_COD_RESERVATION_HOURS = 0
    order = place(shop, payment_method="cash_on_delivery")
    assert services.orders_reservations_expire(now=timezone.now() + timedelta(days=30)) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW


@pytest.mark.django_db
def test_expiry_is_idempotent(shop):
    place(shop)
    later = timezone.now() + timedelta(hours=1)
    assert services.orders_reservations_expire(now=later) == 1
    assert services.orders_reservations_expire(now=later) == 0
    assert reserved(shop) == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only(reason="гонка оплаты и задачи снятия резервов в настоящих потоках: блокировки строк")
def test_payment_racing_the_expiry_task_never_loses_paid_stock(shop, settings):
    # given: срок резерва вышел ровно в момент, когда приходит оплата
    settings.ORDERS_NOTIFY_SMS = settings.ORDERS_NOTIFY_EMAIL = False
    for run in range(10):
        variant = shop.variant(f"RACE-{run}", price="100", stock=1)
        order = place(shop, variant=variant)
        Order.objects.filter(pk=order.pk).update(reserved_until=timezone.now() - timedelta(seconds=1))

        def pay(order=order):
            try:
                return services.order_mark_paid(order=order, payment_reference="race").status
            except Exception as error:  # noqa: BLE001 — проигравшая оплата видит отменённый заказ
                return type(error).__name__

        # when
        results = run_concurrently([pay, lambda: services.orders_reservations_expire()])
        # then: либо оплачен и списан, либо отменён и резерв снят — но не оба и не ничего
        order.refresh_from_db()
        states = list(order.reservations.values_list("state", flat=True))
        if order.status == OrderStatus.PAID:
            assert states == [ReservationState.CONSUMED]
            assert results[1] == 0
        else:
            assert order.status == OrderStatus.CANCELLED
            assert states == [ReservationState.RELEASED]
            assert results[0] == "OrderTransitionNotAllowed"
        assert reserved(shop, variant) == 0
