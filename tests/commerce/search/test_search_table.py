"""Таблицы поиска товаров: синхронность с каталогом, подсказки по началу слов (и на SQLite), update_index."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from commerce.catalog.models import Product
from commerce.pricing.models import VariantPrice
from commerce.search.documents import name_words_enabled, search_table_enabled
from commerce.search.models import ProductNameWord, ProductSearchDocument

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/search/"
SUGGEST = "/api/v1/search/suggest/"


def slugs(api_client, query, region="msk"):
    response = api_client.get(SEARCH, {"q": query}, HTTP_X_REGION=region)
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def results(api_client, query, region="msk"):
    return {item["slug"]: item for item in api_client.get(SEARCH, {"q": query}, HTTP_X_REGION=region).json()["results"]}


def suggested(api_client, query):
    response = api_client.get(SUGGEST, {"q": query}, HTTP_X_REGION="msk")
    assert response.status_code == 200, response.content
    return {item["slug"] for item in response.json()["products"]}


def test_tests_run_on_the_search_table_path():
    # Документы и лексемы — tsvector PostgreSQL; на SQLite товары ищет FTS5 modelsearch,
    # а подсказки и там идут по таблице слов названий.
    assert search_table_enabled() is (connection.vendor == "postgresql")
    assert name_words_enabled()


def test_renamed_product_is_found_by_new_name_only(api_client, shop):
    # given
    shop.laptop_pro.name = "Ультрабук Acme Pro 14"
    shop.laptop_pro.save()
    # then: документ и слова названия пересчитаны сигналом сохранения товара
    assert slugs(api_client, "ультрабук") == ["laptop-pro"]
    if connection.vendor == "postgresql":
        # «ноутбук» теперь только в категории «Ноутбуки» (вес B) — ниже товаров с ним в названии
        # (вес A). Весов и русской морфологии у FTS5 на SQLite нет: там «ноутбук» ≠ «ноутбуки».
        assert slugs(api_client, "ноутбук")[-1] == "laptop-pro"
    assert suggested(api_client, "ульт") == {"laptop-pro"}
    assert "laptop-pro" not in suggested(api_client, "ноут")


def test_deactivated_product_leaves_suggestions(api_client, shop):
    shop.laptop_pro.is_active = False
    shop.laptop_pro.save()
    assert "laptop-pro" not in suggested(api_client, "ноут")
    assert not ProductNameWord.objects.filter(product_id=shop.laptop_pro.pk).exists()


def test_variant_name_and_brand_rename_are_searchable(api_client, shop):
    # given
    shop.sku_laptop.variant.name = "Полночный синий"
    shop.sku_laptop.variant.save()
    shop.globex.name = "Глобекс"
    shop.globex.save()
    # then
    assert slugs(api_client, "полночный") == ["laptop-air"]
    assert "laptop-air" in slugs(api_client, "глобекс")


def test_price_change_is_reflected_in_search_results_of_region(api_client, shop):
    # given: цена Москвы «Ноутбук Acme Pro 14» — 115000
    price = VariantPrice.objects.get(variant=shop.laptop_pro.variant, price_list=shop.msk_list)
    price.price = Decimal("99000")
    price.save()
    # then
    assert results(api_client, "acme pro")["laptop-pro"]["price"] == "99000.00"
    assert results(api_client, "acme pro", region="spb")["laptop-pro"]["price"] == "120000.00"


def test_name_weighs_more_than_attribute_value(api_client, shop):
    # given: «алюминий» — в названии одного товара и в атрибуте другого
    shop.product("Алюминий пищевой", "foil", shop.clothes, None, "100")
    # then
    assert slugs(api_client, "алюминий") == ["foil", "laptop-pro"]


def test_suggest_matches_every_word_prefix(api_client, shop):
    assert suggested(api_client, "ноутбук ac") == {"laptop-pro"}
    assert suggested(api_client, "air ноут") == {"laptop-air"}
    assert suggested(api_client, "зелен") == {"tree"}
    assert suggested(api_client, "ЁЛК") == {"tree"}


@pytest.mark.parametrize("query", ["%%", "__", "н%", "\\\\x"])
def test_suggest_like_wildcards_are_literal(api_client, shop, query):
    assert suggested(api_client, query) == set()


def test_update_index_rebuilds_search_tables_set_based(shop, django_assert_max_num_queries):
    # given: таблицы разъехались с каталогом (массовая загрузка в обход сигналов)
    ProductSearchDocument.objects.all().delete()
    ProductNameWord.objects.all().delete()
    Product.objects.filter(pk=shop.tree.pk).update(name="Сосна искусственная")
    # when
    with django_assert_max_num_queries(8):
        call_command("update_index", products_only=True, verbosity=0)
    # then
    active = Product.objects.filter(is_active=True).count()
    if search_table_enabled():
        assert ProductSearchDocument.objects.filter(is_active=True).count() == active
    assert ProductNameWord.objects.values("product_id").distinct().count() == active
    assert set(ProductNameWord.objects.filter(product_id=shop.tree.pk).values_list("word", flat=True)) == {
        "сосна",
        "искусственная",
    }
