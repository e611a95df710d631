"""Экран товара: варианты с ценами и остатками в форме, «Добавить вариант», списки с ценой и остатком."""

from decimal import Decimal

import pytest
from django.urls import reverse

from commerce.catalog.models import Variant
from commerce.inventory.models import Stock
from staff import roles
from tests.admin.conftest import role_user
from tests.admin.helpers import form_data

pytestmark = pytest.mark.django_db

PRODUCTS = "/admin/snippets/catalog/product/"
VARIANTS = "/admin/snippets/catalog/variant/"


@pytest.fixture
def merchandiser(client):
    user = role_user(roles.MERCHANDISER)
    client.force_login(user)
    return user


def test_product_form_shows_variants_with_regional_prices_and_reserved(client, merchandiser, catalog):
    # given: у телефона А цены базовая 20000 и московская 19000, 5 шт. в Москве, 2 в резерве
    Stock.objects.filter(variant=catalog.phone_black.variant).update(reserved=2)
    # when
    response = client.get(reverse("wagtailsnippets_catalog_product:edit", args=[catalog.phone_black.pk]))
    # then
    assert response.status_code == 200
    content = response.content.decode()
    row = content.split('data-sku="phone-a-1"')[1].split("</tr>")[0]
    assert "<td>20000,00</td><td>19000,00</td>" in row  # база и Москва, в русском формате
    assert "5 / " in row and ">2</span>" in row  # на складе / в резерве
    assert "<td>3</td>" in row  # доступно
    assert f"/admin/snippets/catalog/variant/add/?product={catalog.phone_black.pk}" in content
    assert 'name="stocks-0-reserved"' not in content  # резерв в форме товара не правится


def test_add_variant_link_prefills_product_and_saves(client, merchandiser, catalog):
    url = reverse("wagtailsnippets_catalog_variant:add") + f"?product={catalog.laptop.pk}"
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page)
    assert data["product"] == str(catalog.laptop.pk)
    data.update(
        {
            "sku": "laptop-c-2",
            "prices-TOTAL_FORMS": "1",
            "prices-0-id": "",
            "prices-0-price_list": str(catalog.base_list.pk),
            "prices-0-price": "95000.00",
            "prices-0-old_price": "",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    variant = Variant.objects.get(sku="laptop-c-2")
    assert variant.product == catalog.laptop
    assert variant.prices.get().price == Decimal("95000.00")


def test_add_variant_with_bad_product_param_opens_empty_form(client, merchandiser, catalog):
    page = client.get(reverse("wagtailsnippets_catalog_variant:add") + "?product=abc")
    assert page.status_code == 200
    assert form_data(page).get("product", "") == ""


def test_order_manager_cannot_edit_product(client, catalog):
    client.force_login(role_user(roles.ORDER_MANAGER))
    response = client.get(reverse("wagtailsnippets_catalog_product:edit", args=[catalog.phone_black.pk]))
    assert response.status_code == 302  # Wagtail уводит без права на правку


def test_extra_categories_are_an_indented_checkbox_tree(client, merchandiser, catalog):
    content = client.get(reverse("wagtailsnippets_catalog_product:edit", args=[catalog.laptop.pk])).content.decode()
    assert 'type="checkbox" name="extra_categories"' in content
    assert "— Смартфоны" in content


def test_product_list_shows_base_price_stock_and_variant_count(
    client, merchandiser, catalog, django_assert_max_num_queries
):
    extra_variant = Variant.objects.create(product=catalog.laptop, sku="laptop-c-2")
    Stock.objects.create(variant=extra_variant, warehouse=catalog.msk_warehouse, quantity=4, reserved=1)
    with django_assert_max_num_queries(40):
        response = client.get(PRODUCTS)
    assert response.status_code == 200
    rows = {product.pk: product for product in response.context["object_list"]}
    laptop = rows[catalog.laptop.pk]
    assert (laptop.base_price, laptop.stock_available, laptop.variant_count) == (Decimal("90000.00"), 8, 2)
    assert rows[catalog.phone_white.pk].stock_available == 0
    assert "True" not in response.content.decode().split("<tbody")[1]


def test_product_list_query_count_does_not_grow_with_rows(client, merchandiser, catalog, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(PRODUCTS)  # прогрев: сессия, типы содержимого, права
    with CaptureQueriesContext(connection) as small:
        client.get(PRODUCTS)
    for number in range(10):
        catalog.product(f"Товар {number}", f"item-{number}", catalog.phones, catalog.acme, "100")
    with CaptureQueriesContext(connection) as large:
        client.get(PRODUCTS)
    assert len(large) == len(small)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"in_stock": "true"}, {"phone-a", "laptop-c", "shirt-d"}),
        ({"in_stock": "false"}, {"phone-b"}),
        ({"brand": "BRAND"}, {"phone-b"}),
        ({"category": "ELECTRONICS"}, {"phone-a", "phone-b", "laptop-c"}),
        ({"is_active": "false"}, set()),
    ],
)
def test_product_list_filters(client, merchandiser, catalog, query, expected):
    values = {"BRAND": str(catalog.globex.pk), "ELECTRONICS": str(catalog.electronics.pk)}
    params = {key: values.get(value, value) for key, value in query.items()}
    response = client.get(PRODUCTS, params)
    assert response.status_code == 200
    assert {product.slug for product in response.context["object_list"]} == expected


def test_product_list_search_works_with_annotations(client, merchandiser, catalog):
    response = client.get(PRODUCTS, {"q": "Ноутбук"})
    assert response.status_code == 200
    assert [product.slug for product in response.context["object_list"]] == ["laptop-c"]


def test_variant_list_search_by_sku(client, merchandiser, catalog):
    response = client.get(VARIANTS, {"q": "laptop"})
    assert response.status_code == 200
    assert [variant.sku for variant in response.context["object_list"]] == ["laptop-c-1"]


def test_variant_list_shows_price_and_stock_and_filters_in_stock(client, merchandiser, catalog):
    response = client.get(VARIANTS, {"in_stock": "false"})
    assert response.status_code == 200
    variants = list(response.context["object_list"])
    assert [variant.sku for variant in variants] == ["phone-b-1"]
    assert variants[0].base_price == Decimal("30000.00")
