"""Число SQL-запросов списка, фасетов и карточки не зависит от размера страницы и числа вариантов."""

from decimal import Decimal

import pytest
from django.db import connection
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from commerce.catalog.indexing import product_index_refresh
from commerce.catalog.models import Product, ProductImage, Variant
from commerce.catalog.offers import product_offer_refresh
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/catalog/products/"


def card_round_trips():
    """Вернуть число запросов за товар, варианты и атрибуты карточки — три на любой базе.

    На PostgreSQL это подготовленные запросы (selectors._result_sets): исполнение без разбора
    и плана; на SQLite — обычные.
    """
    return 3


@pytest.fixture
def many_products(catalog, settings):
    """120 товаров в «Смартфонах», по 3 варианта с ценами, остатками и изображениями."""
    settings.CATALOG_CACHE_TIMEOUT = 0
    images = [
        get_image_model().objects.create(title=f"Фото {number}", file=get_test_image_file(f"photo{number}.png"))
        for number in range(3)
    ]
    products = Product.objects.bulk_create(
        Product(name=f"Массовый {number:03d}", slug=f"bulk-{number}", main_category=catalog.phones, brand=catalog.acme)
        for number in range(120)
    )
    variants = Variant.objects.bulk_create(
        Variant(product=product, sku=f"bulk-{product.pk}-{index}", sort_order=index)
        for product in products
        for index in range(3)
    )
    VariantPrice.objects.bulk_create(
        VariantPrice(variant=variant, price_list=catalog.base_list, price=Decimal(1000 + variant.pk))
        for variant in variants
    )
    Stock.objects.bulk_create(
        Stock(variant=variant, warehouse=catalog.msk_warehouse, quantity=3) for variant in variants
    )
    ProductImage.objects.bulk_create(
        ProductImage(product=product, image=images[index], sort_order=index)
        for product in products
        for index in range(3)
    )
    ids = [product.pk for product in products]
    product_index_refresh(product_ids=ids)
    product_offer_refresh(product_ids=ids)
    return products


@pytest.mark.parametrize("page_size", [1, 100])
def test_product_list_query_count_is_constant(api_client, many_products, django_assert_max_num_queries, page_size):
    # given: рендишены уже созданы первым запросом
    params = {"category": "phones", "page_size": page_size, "sort": "price", "in_stock": "true"}
    api_client.get(PRODUCTS, params, HTTP_X_REGION="msk")
    # when / then: страница с числом строк и id главных изображений, изображения, их рендишены
    with django_assert_max_num_queries(3):
        response = api_client.get(PRODUCTS, params, HTTP_X_REGION="msk")
    assert len(response.json()["results"]) == page_size
    assert response.json()["results"][0]["image"]["renditions"]["fill-400x400"]["url"]


@pytest.mark.parametrize("page_size", [1, 100])
def test_product_list_page_without_images_is_one_query(api_client, many_products, django_assert_num_queries, page_size):
    # given: у товаров нет изображений
    ProductImage.objects.all().delete()
    params = {"category": "phones", "page_size": page_size, "sort": "price"}
    api_client.get(PRODUCTS, params, HTTP_X_REGION="msk")
    # when / then: изображения не читаются вовсе
    with django_assert_num_queries(1):
        response = api_client.get(PRODUCTS, params, HTTP_X_REGION="msk")
    assert len(response.json()["results"]) == page_size
    assert response.json()["results"][0]["image"] is None


@pytest.mark.parametrize("page_size", [1, 100])
def test_product_list_without_category_is_two_queries(
    api_client, many_products, django_assert_max_num_queries, page_size
):
    api_client.get(PRODUCTS, {"page_size": page_size}, HTTP_X_REGION="msk")
    # число строк и страница, затем изображения и рендишены
    with django_assert_max_num_queries(4):
        response = api_client.get(PRODUCTS, {"page_size": page_size}, HTTP_X_REGION="msk")
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [1, 100])
def test_facets_query_count_is_constant(api_client, many_products, django_assert_max_num_queries, page_size):
    api_client.get("/api/v1/catalog/products/facets/", {"category": "electronics"})
    with django_assert_max_num_queries(1):
        response = api_client.get("/api/v1/catalog/products/facets/", {"category": "electronics"})
    assert response.json()["count"] == 123


def test_product_detail_uses_at_most_five_queries_whatever_the_number_of_variants(
    api_client, many_products, catalog, django_assert_max_num_queries
):
    # given: у одного товара 40 вариантов
    product = many_products[0]
    Variant.objects.bulk_create(Variant(product=product, sku=f"extra-{index}") for index in range(40))
    api_client.get(f"{PRODUCTS}{product.slug}/")
    # when / then: товар, варианты и атрибуты, изображения, рендишены
    with django_assert_max_num_queries(card_round_trips() + 2):
        response = api_client.get(f"{PRODUCTS}{product.slug}/")
    assert len(response.json()["variants"]) == 43
    assert len(response.json()["images"]) == 3


def test_product_detail_without_images_is_three_queries(api_client, many_products, django_assert_num_queries):
    # given: у товара нет изображений
    product = many_products[1]
    ProductImage.objects.filter(product=product).delete()
    api_client.get(f"{PRODUCTS}{product.slug}/", HTTP_X_REGION="msk")
    # when / then: товар, варианты с ценами и остатками, атрибуты — три запроса
    with django_assert_num_queries(card_round_trips()) as captured:
        response = api_client.get(f"{PRODUCTS}{product.slug}/", HTTP_X_REGION="msk")
    assert sum(query["sql"].count("SELECT p.id, p.slug") for query in captured.captured_queries) == 1
    assert len(response.json()["variants"]) == 3
    assert response.json()["images"] == []
    assert response.json()["updated_at"].endswith("+00:00")


@pytest.mark.postgres_only(reason="подготовленные запросы — psycopg и PostgreSQL")
def test_product_detail_statements_are_prepared_once_per_connection(api_client, many_products):
    # given: карточка уже открывалась на этом соединении
    product = many_products[2]
    api_client.get(f"{PRODUCTS}{product.slug}/", HTTP_X_REGION="msk")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        prepared = cursor.fetchone()[0]
    # when: другая карточка — тот же текст запросов
    response = api_client.get(f"{PRODUCTS}{many_products[3].slug}/", HTTP_X_REGION="msk")
    # then: новых подготовленных запросов нет, а три карточки уже подготовлены
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == prepared
    assert prepared >= 3
    assert response.json()["slug"] == many_products[3].slug
