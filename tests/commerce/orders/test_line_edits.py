"""Правка строк заказа (line_edits): резервы и остатки двигаются, итоги считает сервер, история пишется."""

from decimal import Decimal

import pytest

from commerce.inventory.models import Stock
from commerce.orders import services
from commerce.orders.exceptions import OrderLineInvalid, OrderLinesNotEditable, StockInsufficient
from commerce.orders.line_edits import LineWanted, order_lines_update
from commerce.orders.models import Order, OrderLine, OrderLineChange, ReservationState
from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request

pytestmark = pytest.mark.django_db


def place(shop, lines, *, payment_method="online"):
    cart = cart_create(region=shop.msk, lines=lines)
    response = checkout_request(cart=cart, payload=checkout_payload(payment_method=payment_method))
    assert response.status_code == 201, response.json()
    return Order.objects.get(number=response.json()["number"])


def stock(variant, shop):
    row = Stock.objects.get(variant=variant, warehouse=shop.msk_warehouse)
    return row.quantity, row.reserved


def active_reserved(order, variant):
    return sum(
        order.reservations.filter(variant=variant, state=ReservationState.ACTIVE).values_list("quantity", flat=True)
    )


def test_unpaid_order_lines_change_moves_reservations_and_recomputes_totals(shop):
    # given: рубашка × 2 и телефон × 1, не оплачен — всё в активном резерве
    order = place(shop, [(shop.shirt, 2), (shop.phone, 1)])
    delivery = order.delivery_cost
    assert stock(shop.shirt, shop) == (5, 2) and stock(shop.phone, shop) == (5, 1)

    # when: рубашек 4, телефон убран, ноутбук добавлен по цене прайс-листа
    order, record = order_lines_update(
        order=order,
        lines=[LineWanted(variant=shop.shirt, quantity=4), LineWanted(variant=shop.laptop, quantity=1)],
        comment="менеджер: по звонку",
    )

    # then
    assert stock(shop.shirt, shop) == (5, 4)
    assert stock(shop.phone, shop) == (5, 0)
    assert stock(shop.laptop, shop) == (5, 1)
    assert active_reserved(order, shop.shirt) == 4 and active_reserved(order, shop.phone) == 0
    lines = {line.sku: line for line in OrderLine.objects.filter(order=order)}
    assert set(lines) == {"SHIRT-1", "LAPTOP-1"}
    assert lines["SHIRT-1"].line_total == Decimal("10000.00")
    assert lines["LAPTOP-1"].unit_price == Decimal("90000.00")
    order.refresh_from_db()
    assert order.subtotal == Decimal("100000.00")
    assert order.total == order.subtotal - order.discount_total + delivery
    assert record.comment == "менеджер: по звонку"
    assert {change["sku"]: (change["quantity_before"], change["quantity"]) for change in record.changes} == {
        "SHIRT-1": (2, 4),
        "PHONE-1": (1, 0),
        "LAPTOP-1": (0, 1),
    }
    assert order.history.count() == 1, "правка строк — не смена статуса"


def test_paid_order_writes_off_added_stock_and_returns_removed(shop):
    # given: оплаченный заказ — резерв уже списан со склада
    order = place(shop, [(shop.shirt, 3)])
    order = services.order_mark_paid(order=order, payment_reference="pay-1")
    assert stock(shop.shirt, shop) == (2, 0)

    # when: одну рубашку убрали, телефон добавили
    order, _record = order_lines_update(
        order=order, lines=[LineWanted(variant=shop.shirt, quantity=2), LineWanted(variant=shop.phone, quantity=1)]
    )

    # then: рубашка вернулась на склад, телефон списан сразу
    assert stock(shop.shirt, shop) == (3, 0)
    assert stock(shop.phone, shop) == (4, 0)
    states = sorted(order.reservations.filter(variant=shop.shirt).values_list("state", "quantity"))
    assert states == [(ReservationState.CONSUMED, 2), (ReservationState.RESTOCKED, 1)]
    assert order.reservations.get(variant=shop.phone).state == ReservationState.CONSUMED


def test_not_enough_stock_changes_nothing(shop):
    order = place(shop, [(shop.shirt, 2), (shop.phone, 1)])
    before = (stock(shop.shirt, shop), stock(shop.phone, shop), order.total)

    with pytest.raises(StockInsufficient) as error:
        order_lines_update(
            order=order, lines=[LineWanted(variant=shop.shirt, quantity=1), LineWanted(variant=shop.phone, quantity=9)]
        )

    assert "PHONE-1" in str(error.value.detail)
    order.refresh_from_db()
    assert (stock(shop.shirt, shop), stock(shop.phone, shop), order.total) == before
    assert OrderLine.objects.get(order=order, sku="SHIRT-1").quantity == 2
    assert not OrderLineChange.objects.exists()


def test_same_lines_again_change_nothing_even_after_shipping(shop):
    order = place(shop, [(shop.shirt, 2)])
    lines = [LineWanted(variant=shop.shirt, quantity=2)]
    assert order_lines_update(order=order, lines=lines)[1] is None
    for status in ("paid", "assembling", "shipped"):
        order = services.order_status_change(order=order, to_status=status)

    order, record = order_lines_update(order=order, lines=lines)

    assert record is None
    with pytest.raises(OrderLinesNotEditable):
        order_lines_update(order=order, lines=[LineWanted(variant=shop.shirt, quantity=1)])
    assert not OrderLineChange.objects.exists()


def test_price_and_discount_rules(shop):
    # given: строка со скидкой акции 300 на 2 рубашки
    order = place(shop, [(shop.shirt, 2)])
    line = OrderLine.objects.get(order=order)
    OrderLine.objects.filter(pk=line.pk).update(discount=Decimal("300.00"), line_total=Decimal("4700.00"))
    Order.objects.filter(pk=order.pk).update(
        discount_total=Decimal("300.00"), total=order.subtotal - Decimal("300.00") + order.delivery_cost
    )

    # when: количество 1 при той же цене — скидка пропорционально
    order, _record = order_lines_update(order=order, lines=[LineWanted(variant=shop.shirt, quantity=1)])
    line.refresh_from_db()
    assert (line.discount, line.line_total) == (Decimal("150.00"), Decimal("2350.00"))
    assert order.discount_total == Decimal("150.00")

    # when: новая цена — прежняя скидка к ней не относится
    order, _record = order_lines_update(
        order=order, lines=[LineWanted(variant=shop.shirt, quantity=1, unit_price=Decimal("2000"))]
    )
    line.refresh_from_db()
    assert (line.unit_price, line.discount, line.line_total) == (Decimal("2000.00"), 0, Decimal("2000.00"))
    assert order.total == Decimal("2000.00") + order.delivery_cost


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "не осталось товаров"),
        ([("shirt", 0, None, None)], "положительным"),
        ([("shirt", 1, Decimal("-1"), None)], "отрицательной"),
        ([("shirt", 1, Decimal("100"), Decimal("500"))], "больше суммы строки"),
    ],
)
def test_invalid_lines_are_refused(shop, lines, message):
    order = place(shop, [(shop.shirt, 2)])
    wanted = [
        LineWanted(variant=getattr(shop, name), quantity=quantity, unit_price=price, discount=discount)
        for name, quantity, price, discount in lines
    ]

    with pytest.raises(OrderLineInvalid) as error:
        order_lines_update(order=order, lines=wanted)

    assert message in str(error.value.detail)
    assert stock(shop.shirt, shop) == (5, 2)
