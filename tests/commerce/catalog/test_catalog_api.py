"""API каталога: список, фильтры, фасеты, карточка, категории, ошибки ввода, кэш."""

from decimal import Decimal

import pytest

from commerce.catalog.models import Product
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/catalog/products/"
FACETS = "/api/v1/catalog/products/facets/"


def slugs(response):
    return [item["slug"] for item in response.json()["results"]]


def test_list_shows_regional_price_when_region_has_one_and_base_price_otherwise(api_client, catalog):
    # when
    moscow = api_client.get(PRODUCTS, {"sort": "name"}, HTTP_X_REGION="msk")
    petersburg = api_client.get(PRODUCTS, {"sort": "name"}, HTTP_X_REGION="spb")
    # then
    assert moscow.status_code == 200
    by_slug = {item["slug"]: item for item in moscow.json()["results"]}
    assert by_slug["phone-a"]["price"] == "19000.00"
    assert by_slug["phone-a"]["currency"] == "RUB"
    assert by_slug["phone-b"]["price"] == "30000.00"
    spb = {item["slug"]: item for item in petersburg.json()["results"]}
    assert spb["phone-a"]["price"] == "20000.00"


def test_region_falls_back_to_default_when_request_has_none(api_client, catalog):
    response = api_client.get(PRODUCTS, {"category": "phones", "sort": "price"})
    assert response.status_code == 200
    assert response["X-Region"] == "msk"
    assert slugs(response) == ["phone-a", "phone-b"]


def test_availability_is_per_region_and_product_without_price_is_unavailable_not_hidden(api_client, catalog):
    # given: без цены вообще
    VariantPrice.objects.filter(variant=catalog.shirt.variant).delete()
    # when
    moscow = {item["slug"]: item for item in api_client.get(PRODUCTS, HTTP_X_REGION="msk").json()["results"]}
    petersburg = {item["slug"]: item for item in api_client.get(PRODUCTS, HTTP_X_REGION="spb").json()["results"]}
    # then
    assert moscow["phone-a"]["is_available"] is True
    assert moscow["phone-b"]["is_available"] is False  # нет остатка
    assert petersburg["phone-a"]["is_available"] is False  # остаток только на складе Москвы
    assert moscow["shirt-d"]["price"] is None
    assert moscow["shirt-d"]["is_available"] is False


def test_category_filter_includes_subtree_and_extra_categories(api_client, catalog):
    # given
    catalog.shirt.extra_categories.add(catalog.laptops)
    catalog.shirt.save()
    # when
    response = api_client.get(PRODUCTS, {"category": "electronics"})
    # then
    assert set(slugs(response)) == {"phone-a", "phone-b", "laptop-c", "shirt-d"}
    assert set(slugs(api_client.get(PRODUCTS, {"category": "phones"}))) == {"phone-a", "phone-b"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"brand": "acme"}, {"phone-a", "laptop-c"}),
        ({"brand": "acme,globex", "category": "phones"}, {"phone-a", "phone-b"}),
        ({"price_min": "19500", "price_max": "40000"}, {"phone-b"}),
        ({"in_stock": "true"}, {"phone-a", "laptop-c", "shirt-d"}),
        ({"category": "electronics", "attr.color": "white"}, {"phone-b"}),
        ({"category": "electronics", "attr.color": "white,black"}, {"phone-a", "phone-b"}),
        ({"category": "electronics", "attr.diagonal.min": "6.5"}, {"phone-b", "laptop-c"}),
        ({"category": "electronics", "attr.diagonal.max": "7"}, {"phone-a", "phone-b"}),
        ({"category": "electronics", "attr.nfc": "true"}, {"phone-a"}),
        ({"category": "electronics", "attr.color": "black", "attr.nfc": "false"}, set()),
    ],
)
def test_list_filters_narrow_products(api_client, catalog, params, expected):
    response = api_client.get(PRODUCTS, params, HTTP_X_REGION="msk")
    assert response.status_code == 200, response.json()
    assert set(slugs(response)) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price", ["shirt-d", "phone-a", "phone-b", "laptop-c"]),
        ("-price", ["laptop-c", "phone-b", "phone-a", "shirt-d"]),
        ("name", ["laptop-c", "shirt-d", "phone-a", "phone-b"]),
    ],
)
def test_list_sorts(api_client, catalog, sort, expected):
    assert slugs(api_client.get(PRODUCTS, {"sort": sort}, HTTP_X_REGION="msk")) == expected


def test_sort_by_popularity_and_newness(api_client, catalog):
    # Через save(): список читает копию популярности в предложениях (ProductOffer), а
    # массовый .update() мимо save() обязан сам звать offers.product_offer_refresh.
    catalog.laptop.popularity = 100
    catalog.laptop.save()
    assert slugs(api_client.get(PRODUCTS, {"sort": "popular"}))[0] == "laptop-c"
    assert slugs(api_client.get(PRODUCTS, {"sort": "new"}))[0] == "shirt-d"


def test_page_beyond_the_end_is_empty_not_an_error(api_client, catalog):
    response = api_client.get(PRODUCTS, {"page": 50, "page_size": 2})
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert response.json()["count"] == 4
    assert response.json()["num_pages"] == 2


@pytest.mark.parametrize(
    ("params", "path", "code"),
    [
        ({"category": "nope"}, "category", "category_unknown"),
        ({"brand": "acme,nope"}, "brand", "brand_unknown"),
        ({"attr.weight": "1"}, "attr.weight", "attribute_unknown"),
        ({"category": "electronics", "attr.color": "purple"}, "attr.color", "attribute_value_unknown"),
        ({"category": "clothes", "attr.color": "black"}, "attr.color", "attribute_not_filterable"),
        ({"category": "electronics", "attr.diagonal.min": "big"}, "attr.diagonal.min", "invalid_number"),
        ({"price_min": "abc"}, "price_min", "invalid_number"),
        ({"price_min": "-1"}, "price_min", "invalid_number"),
        ({"price_min": "NaN"}, "price_min", "invalid_number"),
        ({"price_min": "10", "price_max": "5"}, "price_max", "price_range_invalid"),
        ({"in_stock": "maybe"}, "in_stock", "invalid_boolean"),
        ({"sort": "random"}, "sort", "invalid_sort"),
        ({"page": "0"}, "page", "invalid_page"),
        ({"page": "x"}, "page", "invalid_page"),
        ({"page_size": "101"}, "page_size", "invalid_page_size"),
    ],
)
def test_bad_input_is_400_naming_the_parameter(api_client, catalog, params, path, code):
    response = api_client.get(PRODUCTS, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {"path": path, "code": code} in [{"path": f["path"], "code": f["code"]} for f in error["fields"]]


def test_facets_count_brands_attribute_values_and_price_range(api_client, catalog):
    response = api_client.get(FACETS, {"category": "electronics"}, HTTP_X_REGION="msk")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["in_stock"] == 2
    assert body["price"] == {"min": "19000.00", "max": "90000.00"}
    assert {brand["slug"]: brand["count"] for brand in body["brands"]} == {"acme": 2, "globex": 1}
    color = next(attribute for attribute in body["attributes"] if attribute["code"] == "color")
    assert {value["value"]: value["count"] for value in color["values"]} == {"black": 1, "white": 1}


def test_facets_follow_current_filter(api_client, catalog):
    body = api_client.get(FACETS, {"category": "electronics", "brand": "acme"}).json()
    assert body["count"] == 2
    color = next(attribute for attribute in body["attributes"] if attribute["code"] == "color")
    assert [value["value"] for value in color["values"]] == ["black"]


def test_product_detail_has_variants_prices_stock_attributes_and_breadcrumbs(api_client, catalog):
    # given
    Stock.objects.filter(variant=catalog.phone_black.variant).update(reserved=2)
    # when
    response = api_client.get(f"{PRODUCTS}phone-a/", HTTP_X_REGION="msk")
    # then
    assert response.status_code == 200
    body = response.json()
    assert [crumb["slug"] for crumb in body["breadcrumbs"]] == ["electronics", "phones"]
    assert body["brand"] == {"slug": "acme", "name": "Acme"}
    variant = body["variants"][0]
    assert variant["price"] == "19000.00"
    assert variant["available_quantity"] == 3
    assert variant["attributes"] == [
        {"code": "color", "name": "Цвет", "type": "choice", "unit": "", "value": "black", "label": "Чёрный"}
    ]
    assert {attribute["code"]: attribute["value"] for attribute in body["attributes"]} == {
        "diagonal": "6.1",
        "nfc": True,
    }


def test_unknown_or_inactive_product_is_404(api_client, catalog):
    Product.objects.filter(pk=catalog.laptop.pk).update(is_active=False)
    for slug in ("missing", "laptop-c"):
        response = api_client.get(f"{PRODUCTS}{slug}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "product_not_found"


def test_category_tree_and_detail_with_breadcrumbs_and_filterable_attributes(api_client, catalog):
    tree = api_client.get("/api/v1/catalog/categories/").json()["results"]
    assert [node["slug"] for node in tree] == ["electronics", "clothes"]
    assert [child["slug"] for child in tree[0]["children"]] == ["phones", "laptops"]
    detail = api_client.get("/api/v1/catalog/categories/phones/").json()
    assert [crumb["slug"] for crumb in detail["breadcrumbs"]] == ["electronics", "phones"]
    assert [attribute["code"] for attribute in detail["attributes"]] == ["color", "diagonal", "nfc"]
    assert detail["attributes"][0]["values"] == [
        {"value": "black", "label": "Чёрный"},
        {"value": "white", "label": "Белый"},
    ]
    assert api_client.get("/api/v1/catalog/categories/missing/").status_code == 404


def test_price_change_is_visible_at_once_despite_cache(api_client, catalog, django_capture_on_commit_callbacks):
    # given: ответ уже в кэше
    first = api_client.get(f"{PRODUCTS}phone-b/")
    assert api_client.get(f"{PRODUCTS}phone-b/").json() == first.json()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        price = VariantPrice.objects.get(variant=catalog.phone_white.variant, price_list=catalog.base_list)
        price.price = Decimal("25000")
        price.save()
    # then
    assert api_client.get(f"{PRODUCTS}phone-b/").json()["price"] == "25000.00"
    assert api_client.get(PRODUCTS, {"category": "phones", "sort": "-price"}).json()["results"][0]["price"] == (
        "25000.00"
    )


def test_etag_gives_304_until_the_product_changes(api_client, catalog):
    first = api_client.get(f"{PRODUCTS}phone-a/")
    etag = first["ETag"]
    assert api_client.get(f"{PRODUCTS}phone-a/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    product = Product.objects.get(pk=catalog.phone_black.pk)
    product.name = "Телефон А2"
    product.save()
    changed = api_client.get(f"{PRODUCTS}phone-a/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["name"] == "Телефон А2"


def test_product_rename_and_deactivation_are_visible_in_the_list_at_once(api_client, catalog):
    # given: список уже отдан (и лежит в кэше)
    assert "laptop-c" in slugs(api_client.get(PRODUCTS))

    # when: товар переименован, затем снят с витрины
    catalog.laptop.name = "Ноутбук переименованный"
    catalog.laptop.save()
    renamed = {item["slug"]: item["name"] for item in api_client.get(PRODUCTS).json()["results"]}
    catalog.laptop.is_active = False
    catalog.laptop.save()

    # then: копии полей в предложениях пересчитаны при сохранении
    assert renamed["laptop-c"] == "Ноутбук переименованный"
    assert "laptop-c" not in slugs(api_client.get(PRODUCTS))
