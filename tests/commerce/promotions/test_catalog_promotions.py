"""Скидки каталога: задача beat включает и выключает их по датам, и цена со скидкой одна в списке,
карточке, поиске и корзине; фильтр has_discount и сортировка по размеру скидки."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commerce.catalog.models import ProductOffer
from commerce.promotions import tasks
from commerce.promotions.models import Promotion, PromotionKind
from tests.commerce.orders.helpers import cart_create
from tests.commerce.promotions.conftest import promotion_create

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/catalog/products/"


def brand_sale(catalog, **fields):
    promotion = promotion_create(kind=PromotionKind.CATALOG, value="15", label="−15 %", **fields)
    promotion.brands.set([catalog.acme])
    promotion.save()
    return promotion


def listed(api_client, **params):
    body = api_client.get(PRODUCTS, {"sort": "name", **params}, HTTP_X_REGION="msk").json()
    return {item["slug"]: (item["price"], item["old_price"], item["promo_label"]) for item in body["results"]}


def test_started_catalog_promotion_shows_the_same_sale_price_in_list_detail_search_and_cart(api_client, catalog):
    # given: скидка 15 % на бренд Acme уже началась, но задача ещё не включала её
    promotion = brand_sale(catalog)
    assert listed(api_client)["phone-a"] == ("19000.00", None, None)
    # when: задача beat
    assert tasks.catalog_promotions_switch() == 1
    # then: список
    rows = listed(api_client)
    assert rows["phone-a"] == ("16150.00", "19000.00", "−15 %")
    assert rows["laptop-c"] == ("76500.00", "90000.00", "−15 %")
    assert rows["shirt-d"] == ("2500.00", None, None)
    # карточка
    detail = api_client.get(f"{PRODUCTS}phone-a/", HTTP_X_REGION="msk").json()
    assert (detail["price"], detail["old_price"], detail["promo_label"]) == ("16150.00", "19000.00", "−15 %")
    assert (detail["variants"][0]["price"], detail["variants"][0]["old_price"]) == ("16150.00", "19000.00")
    # поиск
    found = api_client.get("/api/v1/search/", {"q": "Телефон"}, HTTP_X_REGION="msk").json()
    prices = {item["slug"]: item["price"] for item in found["results"]}
    assert prices.get("phone-a") == "16150.00"
    # корзина
    cart = cart_create(region=catalog.msk, lines=[(catalog.phone_black.variant, 1)])
    line = api_client.get("/api/v1/cart/", HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION="msk").json()["lines"][0]
    assert (line["unit_price"], line["old_unit_price"], line["promo_label"]) == ("16150.00", "19000.00", "−15 %")
    # повторный запуск ничего не меняет
    assert tasks.catalog_promotions_switch() == 0
    assert Promotion.objects.get(pk=promotion.pk).is_live is True


def test_ended_catalog_promotion_returns_list_prices_and_removes_the_label(api_client, catalog):
    promotion = brand_sale(catalog)
    tasks.catalog_promotions_switch()
    Promotion.objects.filter(pk=promotion.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    assert tasks.catalog_promotions_switch() == 1
    assert listed(api_client)["phone-a"] == ("19000.00", None, None)
    assert not ProductOffer.objects.exclude(discount_label="").exists()


def test_promotion_of_another_region_and_a_future_one_do_not_touch_moscow_prices(api_client, catalog):
    brand_sale(catalog, regions=[catalog.spb])
    brand_sale(catalog, starts_at=timezone.now() + timedelta(days=1))
    tasks.catalog_promotions_switch()
    assert listed(api_client)["phone-a"] == ("19000.00", None, None)
    spb = api_client.get(PRODUCTS, {"sort": "name"}, HTTP_X_REGION="spb").json()["results"]
    assert {item["slug"]: item["price"] for item in spb}["phone-a"] == "17000.00"


def test_category_subtree_promotion_reaches_products_of_child_categories(api_client, catalog):
    promotion = promotion_create(kind=PromotionKind.CATALOG, discount_type="fixed", value="1000")
    promotion.categories.set([catalog.electronics])
    promotion.save()
    tasks.catalog_promotions_switch()
    rows = listed(api_client)
    assert rows["phone-b"][0] == "29000.00" and rows["laptop-c"][0] == "89000.00" and rows["shirt-d"][1] is None


def test_has_discount_filter_and_sort_by_discount_size(api_client, catalog):
    brand_sale(catalog)
    shirt_sale = promotion_create(kind=PromotionKind.CATALOG, value="50", products=[catalog.shirt])
    assert shirt_sale.products.count() == 1
    tasks.catalog_promotions_switch()
    discounted = api_client.get(PRODUCTS, {"has_discount": "true", "sort": "discount"}, HTTP_X_REGION="msk").json()
    assert [item["slug"] for item in discounted["results"]] == [
        "shirt-d",
        "phone-a",
        "laptop-c",
    ]  # −50 %, затем два по −15 % по id
    everything = api_client.get(PRODUCTS, {"sort": "discount"}, HTTP_X_REGION="msk").json()
    assert [item["slug"] for item in everything["results"]][-1] == "phone-b"
    bad = api_client.get(PRODUCTS, {"has_discount": "maybe"}, HTTP_X_REGION="msk")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "validation_error"


def test_sale_price_is_rounded_half_up_to_the_kopeck_everywhere(api_client, catalog):
    variant = catalog.product("Носки", "socks", catalog.clothes, None, "99.90").variant
    promotion_create(kind=PromotionKind.CATALOG, value="15", products=[variant.product])
    tasks.catalog_promotions_switch()
    # Округляется скидка: 15 % от 99.90 = 14.985 → 14.99 (ROUND_HALF_UP), цена 84.91.
    assert listed(api_client)["socks"][0] == "84.91"
    cart = cart_create(region=catalog.msk, lines=[(variant, 3)])
    body = api_client.get("/api/v1/cart/", HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION="msk").json()
    assert (body["lines"][0]["unit_price"], body["subtotal"]) == ("84.91", str(Decimal("84.91") * 3))
