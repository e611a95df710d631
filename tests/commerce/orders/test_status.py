"""Машина статусов, история только дополняется, оплата списывает резерв ровно один раз."""

import pytest

from commerce.inventory.models import Stock
from commerce.orders import services
from commerce.orders.exceptions import OrderTransitionNotAllowed
from commerce.orders.models import Order, OrderStatusChange, ReservationState
from commerce.orders.status import TRANSITIONS, OrderStatus, transition_allowed
from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def place(shop, *, quantity=2, payment_method="online"):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, quantity)])
    response = checkout_request(cart=cart, payload=checkout_payload(payment_method=payment_method))
    assert response.status_code == 201, response.json()
    return Order.objects.get(number=response.json()["number"])


def stock(shop):
    row = Stock.objects.get(variant=shop.shirt, warehouse=shop.msk_warehouse)
    return row.quantity, row.reserved


def test_every_status_has_a_row_in_the_transitions_table():
    assert set(TRANSITIONS) == set(OrderStatus)
    assert not TRANSITIONS[OrderStatus.CANCELLED]
    assert not TRANSITIONS[OrderStatus.RETURNED]


def test_happy_path_through_all_statuses_writes_history(shop):
    order = place(shop)
    staff = UserFactory(is_staff=True)
    for to_status in ("awaiting_payment", "paid", "assembling", "shipped", "delivered", "completed"):
        order = services.order_status_change(order=order, to_status=to_status, actor=staff, comment=f"→ {to_status}")
    history = list(order.history.values_list("from_status", "to_status"))
    assert history == [
        ("", "new"),
        ("new", "awaiting_payment"),
        ("awaiting_payment", "paid"),
        ("paid", "assembling"),
        ("assembling", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "completed"),
    ]
    assert order.history.last().changed_by == staff


def test_disallowed_transition_raises_and_keeps_history_intact(shop):
    order = place(shop)
    with pytest.raises(OrderTransitionNotAllowed):
        services.order_status_change(order=order, to_status=OrderStatus.DELIVERED)
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW
    assert list(order.history.values_list("to_status", flat=True)) == ["new"]
    assert not transition_allowed(from_status=OrderStatus.SHIPPED, to_status=OrderStatus.CANCELLED)


def test_history_is_append_only(shop):
    change = place(shop).history.get()
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        change.delete()
    with pytest.raises(TypeError):
        OrderStatusChange.objects.filter(pk=change.pk).update(comment="подделка")
    with pytest.raises(TypeError):
        OrderStatusChange.objects.all().delete()


def test_paid_converts_reservation_to_stock_decrease_exactly_once(shop):
    order = place(shop, quantity=2)
    assert stock(shop) == (5, 2)
    services.order_mark_paid(order=order, payment_reference="pay-1")
    services.order_mark_paid(order=order, payment_reference="pay-1")
    order.refresh_from_db()
    assert stock(shop) == (3, 0)
    assert order.status == OrderStatus.PAID
    assert order.payment_reference == "pay-1"
    assert order.reserved_until is None
    assert list(order.reservations.values_list("state", flat=True)) == [ReservationState.CONSUMED]
    assert order.history.filter(to_status=OrderStatus.PAID).count() == 1


def test_order_paid_signal_fires_once_after_commit(shop, django_capture_on_commit_callbacks):
    from commerce.orders.signals import order_paid

    received = []

    def receiver(sender, order, payment_reference, **kwargs):
        received.append((order.number, payment_reference))

    order_paid.connect(receiver)
    try:
        order = place(shop)
        with django_capture_on_commit_callbacks(execute=True):
            services.order_mark_paid(order=order, payment_reference="pay-2")
        with django_capture_on_commit_callbacks(execute=True):
            services.order_mark_paid(order=order, payment_reference="pay-2")
    finally:
        order_paid.disconnect(receiver)
    assert received == [(order.number, "pay-2")]


def test_order_created_and_status_changed_signals_fire(shop, django_capture_on_commit_callbacks):
    from commerce.orders.signals import order_created, order_status_changed

    events = []
    created = lambda sender, order, **kwargs: events.append(("created", order.status))  # noqa: E731
    changed = lambda sender, order, change, **kwargs: events.append(("changed", change.to_status))  # noqa: E731
    order_created.connect(created)
    order_status_changed.connect(changed)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            place(shop)
    finally:
        order_created.disconnect(created)
        order_status_changed.disconnect(changed)
    assert events == [("created", "new"), ("changed", "new")]


def test_cancel_before_payment_releases_reservation(shop):
    order = place(shop, quantity=3)
    services.order_status_change(order=order, to_status=OrderStatus.CANCELLED, comment="Передумал")
    assert stock(shop) == (5, 0)
    assert list(order.reservations.values_list("state", flat=True)) == [ReservationState.RELEASED]


def test_cancel_after_payment_returns_goods_to_stock(shop):
    order = place(shop, quantity=3)
    services.order_mark_paid(order=order, payment_reference="pay-3")
    services.order_status_change(order=order, to_status=OrderStatus.CANCELLED)
    assert stock(shop) == (5, 0)
    assert list(order.reservations.values_list("state", flat=True)) == [ReservationState.RESTOCKED]


def test_cash_on_delivery_order_writes_off_stock_at_shipment(shop):
    order = place(shop, quantity=2, payment_method="cash_on_delivery")
    services.order_status_change(order=order, to_status=OrderStatus.ASSEMBLING)
    assert stock(shop) == (5, 2)
    services.order_status_change(order=order, to_status=OrderStatus.SHIPPED)
    assert stock(shop) == (3, 0)


def test_paying_cancelled_order_is_refused(shop):
    order = place(shop)
    services.order_status_change(order=order, to_status=OrderStatus.CANCELLED)
    with pytest.raises(OrderTransitionNotAllowed):
        services.order_mark_paid(order=order, payment_reference="late")
    assert stock(shop) == (5, 0)
