"""Подсказки: с двух символов, начало слова в названиях, популярные запросы, раскладка, кэш."""

import pytest

from commerce.search.models import PopularQuery

pytestmark = pytest.mark.django_db

SUGGEST = "/api/v1/search/suggest/"


def suggest(api_client, query, region="msk"):
    response = api_client.get(SUGGEST, {"q": query}, HTTP_X_REGION=region)
    assert response.status_code == 200, response.content
    return response.json()


def test_one_character_gives_empty_suggestions(api_client, shop, django_assert_num_queries):
    with django_assert_num_queries(1):  # только регион
        body = suggest(api_client, "н")
    assert body["products"] == [] and body["categories"] == [] and body["queries"] == []


def test_name_prefix_suggests_products_and_categories(api_client, shop):
    body = suggest(api_client, "ноут")
    assert {item["slug"] for item in body["products"]} == {"laptop-c", "laptop-pro", "laptop-air"}
    assert [item["slug"] for item in body["categories"]] == ["laptops"]


def test_popular_queries_of_region_with_same_prefix_are_suggested(api_client, shop):
    # given
    PopularQuery.objects.create(region_code="msk", query="ноутбук игровой", searches=40)
    PopularQuery.objects.create(region_code="msk", query="ноутбук acme", searches=90)
    PopularQuery.objects.create(region_code="spb", query="ноутбук для учебы", searches=500)
    PopularQuery.objects.create(region_code="msk", query="телефон", searches=900)
    # when
    body = suggest(api_client, "ноут")
    # then
    assert body["queries"] == ["ноутбук acme", "ноутбук игровой"]


def test_wrong_layout_prefix_is_corrected(api_client, shop):
    body = suggest(api_client, "yjen")
    assert body["corrected_query"] == "ноут"
    assert {item["slug"] for item in body["products"]} == {"laptop-c", "laptop-pro", "laptop-air"}


def test_repeated_suggest_is_answered_from_cache_without_sql(api_client, shop, django_assert_max_num_queries):
    suggest(api_client, "ноут")
    with django_assert_max_num_queries(1):  # только регион
        body = suggest(api_client, "ноут")
    assert len(body["products"]) == 3


def test_product_change_invalidates_cached_suggestions(api_client, shop):
    suggest(api_client, "ноут")
    shop.laptop_pro.name = "Планшет Acme Pro 14"
    shop.laptop_pro.save()
    body = suggest(api_client, "ноут")
    assert "laptop-pro" not in {item["slug"] for item in body["products"]}


@pytest.mark.parametrize("query", ["", "'", "\\\\", "::", "a" * 1000, "(!)", "ноут:*"])
def test_odd_suggest_queries_answer_200(api_client, shop, query):
    assert isinstance(suggest(api_client, query)["products"], list)
