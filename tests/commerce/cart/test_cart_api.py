"""API корзины: анонимная по токену и пользователя по JWT, итоги из цен региона, пометки, слияние."""

from decimal import Decimal

import pytest

from commerce.cart.models import Cart
from commerce.catalog.models import Variant
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice
from tests.commerce.orders.helpers import cart_create
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

CART = "/api/v1/cart/"
LINES = "/api/v1/cart/lines/"


def add(api_client, variant, quantity=1, token=None, region="msk"):
    headers = {"HTTP_X_REGION": region}
    if token:
        headers["HTTP_X_CART_TOKEN"] = token
    return api_client.post(LINES, {"variant_id": variant.pk, "quantity": quantity}, format="json", **headers)


def test_first_add_creates_anonymous_cart_with_token(api_client, shop):
    response = add(api_client, shop.phone, 2)
    assert response.status_code == 200
    body = response.json()
    assert body["token"] and response["X-Cart-Token"] == body["token"]
    assert body["lines"][0]["quantity"] == 2
    assert body["lines"][0]["unit_price"] == "19000.00"  # цена Москвы, не базовая
    assert body["subtotal"] == "38000.00"
    assert body["currency"] == "RUB"


def test_reading_without_token_creates_nothing(api_client, shop):
    response = api_client.get(CART, HTTP_X_REGION="msk")
    assert response.json()["token"] is None
    assert response.json()["lines"] == []
    assert not Cart.objects.exists()


def test_adding_same_variant_sums_quantities(api_client, shop):
    token = add(api_client, shop.shirt, 1).json()["token"]
    body = add(api_client, shop.shirt, 2, token=token).json()
    assert [(line["sku"], line["quantity"]) for line in body["lines"]] == [("SHIRT-1", 3)]


def test_totals_follow_current_prices_on_every_read(api_client, shop):
    token = add(api_client, shop.shirt, 2).json()["token"]
    VariantPrice.objects.filter(variant=shop.shirt).update(price=Decimal("3000"))
    body = api_client.get(CART, HTTP_X_CART_TOKEN=token, HTTP_X_REGION="msk").json()
    assert body["subtotal"] == "6000.00"


def test_unknown_token_is_404_cart_not_found(api_client, shop):
    response = api_client.get(CART, HTTP_X_CART_TOKEN="nope", HTTP_X_REGION="msk")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "cart_not_found"


def test_user_cart_token_does_not_open_it_anonymously(api_client, shop):
    # IDOR: токен корзины пользователя не даёт доступа без его JWT
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)], user=UserFactory())
    response = api_client.get(CART, HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION="msk")
    assert response.status_code == 404


def test_user_sees_only_own_cart(api_client, shop):
    owner, other = UserFactory(), UserFactory()
    cart_create(region=shop.msk, lines=[(shop.shirt, 1)], user=owner)
    api_client.force_authenticate(other)
    assert api_client.get(CART, HTTP_X_REGION="msk").json()["lines"] == []
    assert api_client.delete(f"{LINES}{shop.shirt.pk}/", HTTP_X_REGION="msk").status_code == 404
    assert Cart.objects.get(user=owner).lines.count() == 1


def test_unavailable_lines_are_flagged_not_dropped(api_client, shop):
    token = add(api_client, shop.shirt, 1).json()["token"]
    add(api_client, shop.laptop, 4, token=token)
    add(api_client, shop.phone, 1, token=token)
    Variant.objects.filter(pk=shop.shirt.pk).update(is_active=False)
    Stock.objects.filter(variant=shop.laptop).update(quantity=2)
    Stock.objects.filter(variant=shop.phone).update(quantity=0)
    body = api_client.get(CART, HTTP_X_CART_TOKEN=token, HTTP_X_REGION="msk").json()
    problems = {line["sku"]: line["problem"] for line in body["lines"]}
    assert problems == {"SHIRT-1": "unavailable", "LAPTOP-1": "insufficient_stock", "PHONE-1": "out_of_stock"}
    assert body["has_problems"] is True
    assert body["subtotal"] == "0.00"


def test_quantity_above_line_limit_is_400(api_client, shop, settings):
    settings.CART_LINE_MAX_QUANTITY = 3
    response = add(api_client, shop.shirt, 4)
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0] == {
        "path": "quantity",
        "code": "quantity_too_large",
        "message": "Не больше 3 штук одного товара.",
    }


def test_sum_above_line_limit_is_400(api_client, shop, settings):
    settings.CART_LINE_MAX_QUANTITY = 3
    token = add(api_client, shop.shirt, 2).json()["token"]
    response = add(api_client, shop.shirt, 2, token=token)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "quantity_too_large"


def test_adding_more_than_in_stock_is_409(api_client, shop):
    response = add(api_client, shop.shirt, 6)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stock_insufficient"


def test_too_many_lines_is_409(api_client, shop, settings):
    settings.CART_MAX_LINES = 1
    token = add(api_client, shop.shirt).json()["token"]
    response = add(api_client, shop.laptop, token=token)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "cart_too_many_lines"


def test_variant_without_price_cannot_be_added(api_client, shop):
    VariantPrice.objects.filter(variant=shop.shirt).delete()
    response = add(api_client, shop.shirt)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "variant_unavailable"


def test_set_quantity_and_remove_line(api_client, shop):
    token = add(api_client, shop.shirt, 1).json()["token"]
    headers = {"HTTP_X_CART_TOKEN": token, "HTTP_X_REGION": "msk"}
    body = api_client.patch(f"{LINES}{shop.shirt.pk}/", {"quantity": 4}, format="json", **headers).json()
    assert body["lines"][0]["quantity"] == 4
    body = api_client.patch(f"{LINES}{shop.shirt.pk}/", {"quantity": 0}, format="json", **headers).json()
    assert body["lines"] == []
    assert api_client.delete(f"{LINES}{shop.shirt.pk}/", **headers).status_code == 404


def test_switching_region_reprices_and_reports_changes(api_client, shop):
    # given: корзина в Москве — телефон по московской цене, рубашка по базовой
    token = add(api_client, shop.phone, 1).json()["token"]
    add(api_client, shop.shirt, 1, token=token)
    # when: запрос пришёл из Петербурга (там своей цены нет, и склад пуст)
    body = api_client.get(CART, HTTP_X_CART_TOKEN=token, HTTP_X_REGION="spb").json()
    # then
    assert body["region"] == "spb"
    changes = {change["sku"]: change for change in body["region_changes"]}
    assert changes["PHONE-1"]["old_price"] == "19000.00"
    assert changes["PHONE-1"]["new_price"] == "20000.00"
    assert changes["PHONE-1"]["new_problem"] == "out_of_stock"
    assert changes["SHIRT-1"]["old_price"] == changes["SHIRT-1"]["new_price"] == "2500.00"
    assert changes["SHIRT-1"]["new_problem"] == "out_of_stock"
    again = api_client.get(CART, HTTP_X_CART_TOKEN=token, HTTP_X_REGION="spb").json()
    assert again["region_changes"] == []


def test_login_merges_anonymous_cart_capped_by_stock(api_client, shop):
    # given: у пользователя 3 рубашки, в анонимной корзине ещё 4 (на складе 5) и ноутбук
    user = UserFactory()
    cart_create(region=shop.msk, lines=[(shop.shirt, 3)], user=user)
    token = add(api_client, shop.shirt, 4).json()["token"]
    add(api_client, shop.laptop, 1, token=token)
    # when: первый запрос с JWT и старым токеном
    api_client.force_authenticate(user)
    body = api_client.get(CART, HTTP_X_CART_TOKEN=token, HTTP_X_REGION="msk").json()
    # then
    assert body["merged"] is True
    assert body["token"] is None
    assert {line["sku"]: line["quantity"] for line in body["lines"]} == {"SHIRT-1": 5, "LAPTOP-1": 1}
    assert not Cart.objects.filter(token=token).exists()
    assert api_client.get(CART, HTTP_X_CART_TOKEN=token, HTTP_X_REGION="msk").json()["merged"] is False


def test_login_without_own_cart_adopts_anonymous_lines(api_client, shop):
    user = UserFactory()
    token = add(api_client, shop.shirt, 2).json()["token"]
    api_client.force_authenticate(user)
    body = api_client.get(CART, HTTP_X_CART_TOKEN=token, HTTP_X_REGION="msk").json()
    assert {line["sku"]: line["quantity"] for line in body["lines"]} == {"SHIRT-1": 2}
    assert Cart.objects.get(user=user).lines.count() == 1


@pytest.mark.parametrize("line_count", [1, 30])
def test_cart_read_query_count_is_constant(api_client, shop, django_assert_max_num_queries, line_count):
    variants = [shop.variant(f"Q-{index}", price="10", stock=5) for index in range(line_count)]
    cart = cart_create(region=shop.msk, lines=[(variant, 1) for variant in variants])
    api_client.get(CART, HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION="msk")
    # корзина, строки с вариантами, цены, остатки, главные изображения (акции — из снимка в кэше)
    with django_assert_max_num_queries(5):
        response = api_client.get(CART, HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION="msk")
    assert len(response.json()["lines"]) == line_count
