"""API поиска: морфология, артикул первым, ё/е, раскладка, регион, фильтры, страницы, края."""

import pytest

from commerce.search.models import SearchQueryLog
from commerce.search.services import search_buffer_flush

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/search/"


def search(api_client, region="msk", **params):
    response = api_client.get(SEARCH, params, HTTP_X_REGION=region)
    assert response.status_code == 200, response.content
    return response.json()


def slugs(body):
    return [item["slug"] for item in body["results"]]


def test_plural_query_finds_singular_names_by_russian_morphology(api_client, shop):
    # given: в каталоге «Ноутбук В», «Ноутбук Acme Pro 14», «Ноутбук Globex Air»
    # when
    body = search(api_client, q="ноутбуки")
    # then
    assert set(slugs(body)) == {"laptop-c", "laptop-pro", "laptop-air"}
    assert body["count"] == 3
    assert body["corrected_query"] is None


def test_exact_sku_ranks_first_above_stronger_text_match(api_client, shop):
    # given: «Чехол NB777 для NB777» дважды содержит артикул в названии
    # when
    body = search(api_client, q="nb777")
    # then: товар с артикулом NB777 первый, чехол тоже найден
    assert slugs(body)[0] == "laptop-air"
    assert "decoy" in slugs(body)


def test_sku_match_is_case_insensitive_and_works_with_hyphenated_sku(api_client, shop):
    body = search(api_client, q="LAPTOP-PRO-1")
    assert slugs(body)[0] == "laptop-pro"


def test_ye_finds_names_written_with_yo_and_back(api_client, shop):
    assert slugs(search(api_client, q="зеленая елка")) == ["tree"]
    assert slugs(search(api_client, q="ЗЕЛЁНАЯ ЁЛКА")) == ["tree"]


def test_wrong_keyboard_layout_falls_back_when_nothing_found(api_client, shop):
    # when: «ноутбук», набранный в английской раскладке
    body = search(api_client, q="yjen,er")
    # then
    assert body["corrected_query"] == "ноутбук"
    assert set(slugs(body)) == {"laptop-c", "laptop-pro", "laptop-air"}


def test_layout_fallback_is_not_used_when_query_finds_something(api_client, shop):
    body = search(api_client, q="acme")
    assert body["corrected_query"] is None
    assert set(slugs(body)) >= {"laptop-pro", "phone-a"}


def test_brand_category_and_attribute_values_are_searchable(api_client, shop):
    assert set(slugs(search(api_client, q="globex"))) >= {"phone-b", "laptop-air"}
    assert "shirt-d" in slugs(search(api_client, q="одежда"))
    assert slugs(search(api_client, q="алюминий")) == ["laptop-pro"]


def test_results_carry_price_and_stock_of_request_region(api_client, shop):
    # given: у «Ноутбук Acme Pro 14» цена Москвы 115000, базовая 120000; склад только в Москве
    msk = {item["slug"]: item for item in search(api_client, region="msk", q="acme pro")["results"]}
    spb = {item["slug"]: item for item in search(api_client, region="spb", q="acme pro")["results"]}
    # then
    assert msk["laptop-pro"]["price"] == "115000.00"
    assert msk["laptop-pro"]["is_available"] is True
    assert spb["laptop-pro"]["price"] == "120000.00"
    assert spb["laptop-pro"]["is_available"] is False


def test_catalog_filters_apply_to_search_results(api_client, shop):
    body = search(api_client, q="ноутбук", brand="globex")
    assert slugs(body) == ["laptop-air"]
    body = search(api_client, q="ноутбук", price_max="100000", sort="price")
    assert slugs(body) == ["laptop-air", "laptop-c"]
    body = search(api_client, q="телефон", category="phones", in_stock="true")
    assert slugs(body) == ["phone-a"]


def test_pagination_splits_results_without_overlap(api_client, shop):
    first = search(api_client, q="ноутбук", page_size=2, page=1)
    second = search(api_client, q="ноутбук", page_size=2, page=2)
    beyond = search(api_client, q="ноутбук", page_size=2, page=3)
    assert first["count"] == 3 and first["num_pages"] == 2
    assert len(first["results"]) == 2 and len(second["results"]) == 1
    assert not set(slugs(first)) & set(slugs(second))
    assert beyond["results"] == []


def test_categories_are_returned_with_breadcrumbs(api_client, shop):
    body = search(api_client, q="ноутбуки")
    assert body["categories"][0]["slug"] == "laptops"
    assert body["categories"][0]["breadcrumbs"] == [{"slug": "electronics", "name": "Электроника"}]


def test_inactive_products_are_not_found(api_client, shop):
    shop.laptop_pro.is_active = False
    shop.laptop_pro.save()
    assert "laptop-pro" not in slugs(search(api_client, q="ноутбук"))
    assert "laptop-pro" not in slugs(search(api_client, q="laptop-pro-1"))


def test_renamed_sku_is_searchable_after_variant_save(api_client, shop):
    # given: артикул сменили в карточке варианта
    shop.shirt.variant.sku = "SHIRT-2025"
    shop.shirt.variant.save()
    # then: товар находится и по артикулу целиком, и по полнотекстовому индексу
    assert slugs(search(api_client, q="shirt-2025")) == ["shirt-d"]


@pytest.mark.parametrize(
    "query",
    ["", "   ", "!!!", "'", "\\", "a & b | !c", "(:*)", "ноутбук:*", "<script>alert(1)</script>", "%_", "и"],
)
def test_empty_and_odd_queries_answer_200(api_client, shop, query):
    body = search(api_client, q=query)
    assert body["count"] >= 0
    assert isinstance(body["results"], list)


def test_nul_byte_in_query_is_a_clear_400_not_a_database_error(api_client, shop):
    # NUL PostgreSQL не принимает в тексте; слой ошибок API отвечает 400 до поиска.
    response = api_client.get("/api/v1/search/", {"q": "\x00"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


def test_thousand_character_query_answers_200_and_is_logged_truncated(api_client, shop, settings):
    # given
    query = "ноутбук " + "я" * 992
    # when
    body = search(api_client, q=query)
    search_buffer_flush()
    # then
    assert len(body["query"]) <= settings.SEARCH_QUERY_MAX_LENGTH
    assert SearchQueryLog.objects.get().query == body["query"]


def test_missing_query_parameter_returns_empty_results(api_client, shop):
    body = search(api_client)
    assert body["count"] == 0 and body["results"] == []


@pytest.mark.parametrize(
    ("params", "path", "code"),
    [
        ({"sort": "random"}, "sort", "invalid_sort"),
        ({"page": "0"}, "page", "invalid_page"),
        ({"page_size": "1000"}, "page_size", "invalid_page_size"),
        ({"brand": "nope"}, "brand", "brand_unknown"),
        ({"price_min": "abc"}, "price_min", "invalid_number"),
    ],
)
def test_invalid_parameters_return_400_with_stable_codes(api_client, shop, params, path, code):
    response = api_client.get(SEARCH, {"q": "ноутбук", **params}, HTTP_X_REGION="msk")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"path": path, "code": code} == {key: fields[0][key] for key in ("path", "code")}
