"""Оформление со скидками: пересчёт на сервере, раскладка скидки по строкам до копейки, чек 54-ФЗ, возврат строки."""

from decimal import Decimal

import pytest

from commerce.orders.models import Order
from commerce.payments import services as payment_services
from commerce.payments.models import Payment, PaymentStatus, RegionPaymentProvider
from commerce.promotions.models import PromotionEffect, PromotionKind, PromotionUsage
from commerce.promotions.selectors import promotion_report
from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request
from tests.commerce.payments.conftest import RETURN_URL, fake_yookassa  # noqa: F401 — фикстура
from tests.commerce.payments.test_webhooks import send_webhook
from tests.commerce.promotions.conftest import promotion_create

pytestmark = pytest.mark.django_db


def placed(cart, **payload):
    response = checkout_request(cart=cart, payload=checkout_payload(**payload) if payload else None)
    assert response.status_code == 201, response.json()
    return response, Order.objects.get(number=response.json()["number"])


def three_equal_lines(shop):
    variants = [shop.variant(f"EQ-{index}", price="333.33", stock=10) for index in range(3)]
    return cart_create(region=shop.msk, lines=[(variant, 1) for variant in variants])


def test_fixed_code_discount_is_spread_over_lines_and_lines_sum_to_the_total(shop):
    # given: три строки по 333,33 и код «−100 ₽» — ровно не делится
    cart = three_equal_lines(shop)
    promotion_create(code="MINUS100", discount_type="fixed", value="100")
    cart.promo_code = "MINUS100"
    cart.save()
    # when
    response, order = placed(cart, delivery={"method": "pickup", "warehouse_id": shop.msk_warehouse.pk})
    # then
    lines = list(order.lines.order_by("id"))
    assert sorted(line.discount for line in lines) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(line.line_total for line in lines) == order.subtotal - order.discount_total
    assert (order.subtotal, order.discount_total, order.total) == (
        Decimal("999.99"),
        Decimal("100.00"),
        Decimal("899.99"),
    )
    assert (order.promo_code, response.json()["discount_total"]) == ("MINUS100", "100.00")
    assert PromotionUsage.objects.get(order=order).discount_amount == Decimal("100.00")
    assert cart.lines.count() == 0


def test_checkout_recomputes_and_rejects_an_expected_total_without_the_discount(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 2)])
    promotion_create(code="TEN")
    cart.promo_code = "TEN"
    cart.save()
    pickup = {"method": "pickup", "warehouse_id": shop.msk_warehouse.pk}
    response = checkout_request(cart=cart, payload=checkout_payload(delivery=pickup, expected_total="5000.00"))
    assert (response.status_code, response.json()["error"]["code"]) == (409, "order_total_changed")
    ok = checkout_request(cart=cart, payload=checkout_payload(delivery=pickup, expected_total="4500.00"))
    assert ok.status_code == 201 and ok.json()["total"] == "4500.00"


def test_code_that_ran_out_before_checkout_is_a_409_and_no_order(shop):
    promotion = promotion_create(code="ONCE")
    promotion.code.usage_limit = 1
    promotion.code.save()
    first = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    second = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    for cart in (first, second):
        cart.promo_code = "ONCE"
        cart.save()
    placed(first)
    response = checkout_request(cart=second)
    assert (response.status_code, response.json()["error"]["code"]) == (409, "promo_code_limit_reached")
    assert Order.objects.count() == 1


def test_per_customer_limit_counts_guest_orders_by_phone(shop):
    promotion_create(code="MINE", per_customer_limit=1)
    carts = [cart_create(region=shop.msk, lines=[(shop.shirt, 1)]) for _index in range(2)]
    for cart in carts:
        cart.promo_code = "MINE"
        cart.save()
    placed(carts[0])
    response = checkout_request(cart=carts[1])
    assert response.json()["error"]["code"] == "promo_code_limit_reached"


def test_free_delivery_and_gift_rules_reach_the_order(shop):
    promotion_create(
        kind=PromotionKind.CART, effect=PromotionEffect.FREE_DELIVERY, value="0", min_subtotal=Decimal("2000")
    )
    promotion_create(
        kind=PromotionKind.CART,
        effect=PromotionEffect.GIFT,
        value="0",
        min_subtotal=Decimal("2000"),
        gift_variant=shop.laptop,
    )
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    _response, order = placed(cart)
    assert order.delivery_cost == 0
    gift = order.lines.get(is_gift=True)
    assert (gift.sku, gift.unit_price, gift.line_total) == ("LAPTOP-1", 0, 0)
    assert order.reservations.filter(variant=shop.laptop).exists()
    report = promotion_report()
    assert [row["usages"] for row in report] == [1, 1]
    assert sum(row["free_deliveries"] for row in report) == 1 and {row["orders"] for row in report} == {1}


def test_order_lines_carry_slug_discount_and_catalog_old_price(shop):
    promotion_create(kind=PromotionKind.CATALOG, value="20", products=[shop.shirt.product], is_live=True, label="−20 %")
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    response, _order = placed(cart)
    line = response.json()["lines"][0]
    assert (line["product_slug"], line["unit_price"], line["old_unit_price"]) == ("shirt-1", "2000.00", "2500.00")
    assert (line["discount"], line["line_total"], line["is_gift"], line["image"]) == ("0.00", "2000.00", False, None)


@pytest.fixture
def yookassa_region(shop, fake_yookassa):  # noqa: F811 — фикстура из payments
    RegionPaymentProvider.objects.filter(region=shop.msk, provider="test").delete()
    RegionPaymentProvider.objects.create(region=shop.msk, provider="yookassa")
    return fake_yookassa


def _paid(api_client, order, fake):
    response = api_client.post(
        f"/api/v1/orders/{order.number}/pay", {"return_url": RETURN_URL}, format="json", HTTP_X_ORDER_TOKEN=order.token
    )
    assert response.status_code == 200, response.json()
    payment = Payment.objects.get(pk=response.json()["id"])
    fake.set_status(payment.provider_payment_id, "succeeded")
    send_webhook(api_client, fake.notification(payment.provider_payment_id))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    return payment


def _receipt_items(body):
    return [(item["description"], item["quantity"], item["amount"]["value"]) for item in body["receipt"]["items"]]


def test_yookassa_receipt_lists_discounted_line_amounts_and_a_line_refund_returns_its_share(
    api_client, shop, yookassa_region
):
    # given: 3 × 333,33 со скидкой 100 ₽ по коду и оплата через ЮKassa (поддельный сервер)
    variant = shop.variant("TRIPLE", price="333.33", stock=10)
    other = shop.variant("SINGLE", price="1000.00", stock=10)
    cart = cart_create(region=shop.msk, lines=[(variant, 3), (other, 1)])
    promotion_create(code="R100", discount_type="fixed", value="100")
    cart.promo_code = "R100"
    cart.save()
    _response, order = placed(cart, delivery={"method": "pickup", "warehouse_id": shop.msk_warehouse.pk})
    # when
    payment = _paid(api_client, order, yookassa_region)
    # then: сумма позиций чека — сумма платежа, а строка, не делящаяся на количество, — две позиции
    body = yookassa_region.posts("/payments")[0]["body"]
    items = _receipt_items(body)
    total = sum(Decimal(amount) * Decimal(quantity) for _name, quantity, amount in items)
    assert total == order.total == Decimal(body["amount"]["value"])
    triple = order.lines.get(sku="TRIPLE")
    assert triple.line_total == Decimal("949.99")
    triple_items = [(quantity, amount) for name, quantity, amount in items if "TRIPLE" in name]
    assert sum(Decimal(q) * Decimal(a) for q, a in triple_items) == triple.line_total
    assert len(triple_items) == 2
    # when: возврат одной строки
    refund = payment_services.refund_line_create(payment=payment, line=triple, reason="Брак", actor=None)
    # then: вернулась её сумма со скидкой, и чек возврата — её позиции
    assert refund.amount == triple.line_total
    refund_body = yookassa_region.posts("/refunds")[0]["body"]
    assert Decimal(refund_body["amount"]["value"]) == Decimal("949.99")
    refund_items = _receipt_items(refund_body)
    assert sum(Decimal(q) * Decimal(a) for _name, q, a in refund_items) == Decimal("949.99")
    # и повторный возврат той же строки не проходит
    with pytest.raises(Exception) as error:
        payment_services.refund_line_create(payment=payment, line=triple, reason="Ещё раз", actor=None)
    assert error.value.default_code == "refund_not_allowed"
