"""Число SQL-запросов поиска не зависит от размера страницы."""

from decimal import Decimal

import pytest

from commerce.catalog.indexing import product_index_refresh
from commerce.catalog.models import Product, Variant
from commerce.catalog.offers import product_offer_refresh
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice
from commerce.search.indexing import products_reindex

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/search/"


@pytest.fixture
def many_laptops(catalog):
    """120 ноутбуков с ценами и остатками, проиндексированных в поиске."""
    products = Product.objects.bulk_create(
        Product(name=f"Ноутбук массовый {number:03d}", slug=f"mass-{number}", main_category=catalog.laptops)
        for number in range(120)
    )
    variants = Variant.objects.bulk_create(Variant(product=product, sku=f"mass-{product.pk}") for product in products)
    VariantPrice.objects.bulk_create(
        VariantPrice(variant=variant, price_list=catalog.base_list, price=Decimal(1000 + variant.pk))
        for variant in variants
    )
    Stock.objects.bulk_create(
        Stock(variant=variant, warehouse=catalog.msk_warehouse, quantity=2) for variant in variants
    )
    ids = [product.pk for product in products]
    product_index_refresh(product_ids=ids)
    product_offer_refresh(product_ids=ids)
    products_reindex(product_ids=ids)
    return products


@pytest.mark.parametrize("page_size", [1, 100])
def test_search_query_count_is_constant(api_client, many_laptops, django_assert_max_num_queries, page_size):
    # given: снимок каталога и домашние страницы уже прочитаны первым запросом
    params = {"q": "ноутбуки", "page_size": page_size, "in_stock": "true"}
    api_client.get(SEARCH, params, HTTP_X_REGION="msk")
    # when / then: регион, артикул, полнотекстовый поиск товаров, подсчёт, страница,
    # изображения, категории, страницы сайта (поиск, домашние страницы, выборка)
    with django_assert_max_num_queries(14):
        response = api_client.get(SEARCH, params, HTTP_X_REGION="msk")
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    assert response.json()["count"] == 121
