"""API промокода корзины: применить и убрать, ошибки со стабильными кодами, скидки строк и итог, подсказки."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commerce.cart.models import Cart
from commerce.catalog.models import ProductImage
from commerce.promotions.models import PromotionEffect, PromotionKind
from tests.commerce.orders.helpers import cart_create, checkout_request
from tests.commerce.promotions.conftest import promotion_create
from tests.factories.accounts import UserFactory
from tests.factories.blog import ImageFactory

pytestmark = pytest.mark.django_db

CART = "/api/v1/cart/"
PROMO = "/api/v1/cart/promo-code/"


def apply(api_client, cart, code, region="msk"):
    return api_client.post(PROMO, {"code": code}, format="json", HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION=region)


def error_of(response):
    return response.status_code, response.json()["error"]["code"]


def test_applied_code_discounts_each_line_and_the_total(api_client, shop):
    # given: корзина на 19000 + 2 × 2500 и код на 10 %
    cart = cart_create(region=shop.msk, lines=[(shop.phone, 1), (shop.shirt, 2)])
    promotion_create(code="SALE10", value="10", label="−10 %")
    # when
    response = apply(api_client, cart, " sale10 ")
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["subtotal"], body["discount_total"], body["total"]) == ("24000.00", "2400.00", "21600.00")
    assert [line["discount"] for line in body["lines"]] == ["1900.00", "500.00"]
    assert [line["line_total"] for line in body["lines"]] == ["17100.00", "4500.00"]
    assert body["promo_code"] == {"code": "SALE10", "is_applied": True, "error": None}
    assert [(item["code"], item["amount"]) for item in body["promotions"]] == [("SALE10", "2400.00")]
    assert Cart.objects.get(pk=cart.pk).promo_code == "SALE10"


def test_removing_the_code_restores_full_prices(api_client, shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    promotion_create(code="SALE10")
    apply(api_client, cart, "SALE10")
    response = api_client.delete(PROMO, HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION="msk")
    assert response.status_code == 200
    assert (response.json()["discount_total"], response.json()["promo_code"]) == ("0.00", None)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({}, "promo_code_unknown"),
        ({"starts_at": timezone.now() + timedelta(days=1)}, "promo_code_not_started"),
        (
            {"starts_at": timezone.now() - timedelta(days=9), "ends_at": timezone.now() - timedelta(days=1)},
            "promo_code_expired",
        ),
        ({"min_subtotal": Decimal("5000")}, "promo_code_min_total"),
        ({"usage_limit": 0}, "promo_code_limit_reached"),
        ({"products": "laptop"}, "promo_code_not_applicable"),
    ],
)
def test_each_reason_a_code_does_not_apply_has_its_own_code_and_a_russian_message(api_client, shop, fields, code):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    fields = dict(fields)
    if fields.pop("products", None):
        fields["products"] = [shop.laptop.product]
    if code != "promo_code_unknown":
        promotion_create(code="CODE", **fields)
    response = apply(api_client, cart, "CODE")
    assert error_of(response) == (400, code)
    assert response.json()["error"]["message"][0].isupper()
    assert Cart.objects.get(pk=cart.pk).promo_code == ""


def test_code_of_another_region_is_refused(api_client, shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    promotion_create(code="SPB", regions=[shop.spb])
    assert error_of(apply(api_client, cart, "SPB")) == (400, "promo_code_wrong_region")


def test_first_order_only_code_is_refused_to_a_customer_with_an_order(api_client, shop):
    user = UserFactory()
    promotion_create(code="HELLO", first_order_only=True)
    first = cart_create(region=shop.msk, lines=[(shop.shirt, 1)], user=user)
    api_client.force_authenticate(user)
    assert apply(api_client, first, "HELLO").status_code == 200
    api_client.force_authenticate(None)
    assert checkout_request(cart=first, client=_client_for(user)).status_code == 201
    second = cart_create(region=shop.msk, lines=[(shop.shirt, 1)], user=user)
    api_client.force_authenticate(user)
    assert error_of(apply(api_client, second, "HELLO")) == (400, "promo_code_first_order_only")


def _client_for(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_applied_code_that_stops_fitting_stays_in_the_cart_with_its_reason_and_a_hint(api_client, shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 2)])
    promotion_create(code="BIG", min_subtotal=Decimal("5000"), effect=PromotionEffect.ORDER_DISCOUNT)
    assert apply(api_client, cart, "BIG").status_code == 200
    cart.lines.update(quantity=1)
    body = api_client.get(CART, HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION="msk").json()
    assert body["promo_code"]["is_applied"] is False
    assert body["promo_code"]["error"]["code"] == "promo_code_min_total"
    assert body["discount_total"] == "0.00"
    assert [hint["amount_missing"] for hint in body["hints"]] == ["2500.00"]


def test_cart_hints_what_is_missing_for_free_delivery_and_quote_honours_it(api_client, shop):
    promotion_create(
        kind=PromotionKind.CART, effect=PromotionEffect.FREE_DELIVERY, value="0", min_subtotal=Decimal("3000")
    )
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    body = api_client.get(CART, HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION="msk").json()
    assert [hint["message"] for hint in body["hints"]] == ["Добавьте ещё на 500 ₽ до бесплатной доставки"]
    assert body["free_delivery"] is False
    cart.lines.update(quantity=2)
    body = api_client.get(CART, HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION="msk").json()
    assert body["free_delivery"] is True and body["hints"] == []
    quote = api_client.post(
        "/api/v1/delivery/quote/",
        {"method": "post", "city": "Москва"},
        format="json",
        HTTP_X_CART_TOKEN=cart.token,
        HTTP_X_REGION="msk",
    ).json()
    assert (quote["delivery_cost"], quote["total"]) == ("0.00", "5000.00")


def test_every_second_item_rule_discounts_the_cheapest_unit(api_client, shop):
    promotion_create(kind=PromotionKind.CART, effect=PromotionEffect.NTH_ITEM, nth_item=2, value="50")
    cart = cart_create(region=shop.msk, lines=[(shop.phone, 1), (shop.shirt, 1)])
    body = api_client.get(CART, HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION="msk").json()
    assert [line["discount"] for line in body["lines"]] == ["0.00", "1250.00"]
    assert body["total"] == "20250.00"


def test_cart_lines_carry_product_slug_and_main_image(api_client, shop):
    ProductImage.objects.create(product=shop.shirt.product, image=ImageFactory(), sort_order=0)
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1), (shop.laptop, 1)])
    lines = api_client.get(CART, HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION="msk").json()["lines"]
    assert [line["product_slug"] for line in lines] == ["shirt-1", "laptop-1"]
    assert lines[0]["image"]["renditions"] and next(iter(lines[0]["image"]["renditions"].values()))["url"]
    assert lines[1]["image"] is None


@pytest.mark.parametrize("line_count", [1, 20])
def test_cart_with_a_code_reads_in_constant_queries(api_client, shop, django_assert_max_num_queries, line_count):
    variants = [shop.variant(f"P-{index}", price="100", stock=5) for index in range(line_count)]
    cart = cart_create(region=shop.msk, lines=[(variant, 1) for variant in variants])
    promotion_create(code="Q10")
    promotion_create(kind=PromotionKind.CART, effect=PromotionEffect.NTH_ITEM, nth_item=3, value="10")
    apply(api_client, cart, "Q10")
    # корзина, строки, цены, остатки, изображения, код (+ акция с товарами и регионами — 6), счётчики кода
    with django_assert_max_num_queries(14):
        response = api_client.get(CART, HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION="msk")
    assert response.json()["promo_code"]["is_applied"] is True
