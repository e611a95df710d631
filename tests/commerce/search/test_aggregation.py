"""Агрегаты по дням и регионам, отчёт «без результатов», популярные запросы, очистка журнала."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from commerce.search import services
from commerce.search.models import (
    CategoryDaily,
    PopularQuery,
    ProductDaily,
    SearchEvent,
    SearchQueryDaily,
    SearchQueryLog,
)
from tests.factories.search import SearchEventFactory, SearchQueryLogFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def test_daily_aggregate_counts_searches_zero_results_and_conversions_per_region(today):
    # given: три поиска «ноутбук» в Москве (один без результатов), один в Питере, покупка после поиска
    search = SearchQueryLogFactory(query="ноутбук", region_code="msk", results_count=5, user_hash="u1")
    SearchQueryLogFactory(query="ноутбук", region_code="msk", results_count=5, user_hash="u1")
    SearchQueryLogFactory(query="ноутбук", region_code="msk", results_count=0, session_hash="s2")
    SearchQueryLogFactory(query="ноутбук", region_code="spb", results_count=3)
    SearchEventFactory(kind="view", product_id=7, category_id=3, region_code="msk", search_id=search.search_id)
    SearchEventFactory(kind="purchase", product_id=7, category_id=3, region_code="msk", search_id=search.search_id)
    SearchEventFactory(kind="cart", product_id=7, category_id=3, region_code="msk", quantity=3)
    # when
    services.search_stats_aggregate(day=today)
    # then
    msk = SearchQueryDaily.objects.get(date=today, region_code="msk", query="ноутбук")
    assert (msk.searches, msk.zero_results, msk.users) == (3, 1, 2)
    assert (msk.views, msk.carts, msk.purchases) == (1, 0, 1)
    assert SearchQueryDaily.objects.get(date=today, region_code="spb").searches == 1
    product = ProductDaily.objects.get(date=today, region_code="msk", product_id=7)
    assert (product.views, product.carts, product.purchases, product.from_search) == (1, 3, 1, 2)
    category = CategoryDaily.objects.get(date=today, region_code="msk", category_id=3)
    assert (category.views, category.carts, category.purchases) == (1, 3, 1)


def test_aggregate_is_idempotent_and_ignores_other_days(today):
    SearchQueryLogFactory(query="ноутбук", region_code="msk")
    SearchQueryLogFactory(query="ноутбук", region_code="msk", created_at=timezone.now() - timedelta(days=2))
    services.search_stats_aggregate(day=today)
    services.search_stats_aggregate(day=today)
    assert SearchQueryDaily.objects.get(date=today).searches == 1


def test_zero_result_queries_report_lists_only_queries_that_found_nothing(today, admin_client):
    # given
    SearchQueryLogFactory(query="кофемашина", region_code="msk", results_count=0)
    SearchQueryLogFactory(query="кофемашина", region_code="msk", results_count=0)
    SearchQueryLogFactory(query="ноутбук", region_code="msk", results_count=4)
    services.search_stats_aggregate(day=today)
    # when
    response = admin_client.get("/admin/reports/search-zero-results/", {"region_code": "msk"})
    export = admin_client.get("/admin/reports/search-zero-results/", {"export": "csv"})
    # then
    assert response.status_code == 200
    content = response.content.decode()
    assert "кофемашина" in content and "ноутбук" not in content
    csv_text = b"".join(export.streaming_content).decode("utf-8-sig") if export.streaming else export.content.decode()
    assert "кофемашина" in csv_text and "ноутбук" not in csv_text


def test_popular_queries_skip_rare_and_zero_result_queries(today, settings):
    # given
    settings.SEARCH_POPULAR_MIN_SEARCHES = 2
    for _index in range(5):
        SearchQueryLogFactory(query="ноутбук", region_code="msk")
    for _index in range(3):
        SearchQueryLogFactory(query="телефон", region_code="msk")
    SearchQueryLogFactory(query="+79991234567", region_code="msk")  # единичный — не показываем
    for _index in range(4):
        SearchQueryLogFactory(query="кофемашина", region_code="msk", results_count=0)
    services.search_stats_aggregate(day=today)
    # when
    services.popular_queries_refresh(today=today)
    # then
    assert list(PopularQuery.objects.order_by("-searches").values_list("query", "searches")) == [
        ("ноутбук", 5),
        ("телефон", 3),
    ]


def test_popular_endpoint_returns_region_queries(api_client, shop):
    PopularQuery.objects.create(region_code="msk", query="ноутбук", searches=10)
    PopularQuery.objects.create(region_code="msk", query="телефон", searches=20)
    PopularQuery.objects.create(region_code="spb", query="зонт", searches=99)
    response = api_client.get("/api/v1/search/popular/", {"limit": 5}, HTTP_X_REGION="msk")
    assert response.status_code == 200
    assert response.json()["results"] == [{"query": "телефон", "searches": 20}, {"query": "ноутбук", "searches": 10}]


@pytest.mark.parametrize("limit", ["0", "51", "abc"])
def test_popular_endpoint_rejects_bad_limit(api_client, shop, limit):
    response = api_client.get("/api/v1/search/popular/", {"limit": limit}, HTTP_X_REGION="msk")
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["code"] == "invalid_limit"


def test_retention_deletes_old_raw_logs_but_keeps_aggregates(today, settings):
    # given
    settings.SEARCH_LOG_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    SearchQueryLogFactory(query="старый", created_at=old)
    SearchEventFactory(created_at=old)
    fresh = SearchQueryLogFactory(query="свежий")
    SearchQueryDaily.objects.create(date=today - timedelta(days=31), region_code="msk", query="старый", searches=1)
    # when
    deleted = services.search_logs_purge()
    # then
    assert deleted == (1, 1)
    assert list(SearchQueryLog.objects.all()) == [fresh]
    assert SearchEvent.objects.count() == 0
    assert SearchQueryDaily.objects.filter(query="старый").exists()


@pytest.mark.redis_only(reason="буфер журнала — список Redis; без Redis запись идёт в базу сразу")
def test_broken_buffer_records_are_skipped(settings):
    client = services._redis()
    client.rpush(services.BUFFER_KEY, b"{not json")
    services.search_log_record(query="ноутбук", region_code="msk", results_count=1)
    assert services.search_buffer_flush() == (1, 0)
    assert SearchQueryLog.objects.get().search_id != uuid.UUID(int=0)


@pytest.fixture
def admin_client(client):
    from tests.factories.accounts import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("slug", ["search-queries", "search-zero-results", "popular-products", "popular-categories"])
def test_reports_open_with_date_and_region_filters_and_export_csv(admin_client, shop, today, slug):
    # given
    SearchQueryLogFactory(query="ноутбук", region_code="msk", results_count=0)
    SearchEventFactory(kind="purchase", product_id=shop.laptop.pk, category_id=shop.laptops.pk)
    services.search_stats_aggregate(day=today)
    params = {"date_from": today.isoformat(), "date_to": today.isoformat(), "region_code": "msk"}
    # when
    page = admin_client.get(f"/admin/reports/{slug}/", params)
    export = admin_client.get(f"/admin/reports/{slug}/", {**params, "export": "csv"})
    # then
    assert page.status_code == 200
    assert export.status_code == 200
    text = b"".join(export.streaming_content).decode("utf-8-sig") if export.streaming else export.content.decode()
    expected = {"popular-products": "Ноутбук В", "popular-categories": "Ноутбуки"}.get(slug, "ноутбук")
    assert expected in page.content.decode() and expected in text


def test_reports_are_closed_to_users_without_permission(client, shop):
    from django.urls import reverse

    from tests.factories.accounts import staff_user_with

    client.force_login(staff_user_with("wagtailadmin.access_admin", "search.view_searchquerydaily"))
    response = client.get("/admin/reports/search-queries/")
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_demo_search_shows_up_in_reports_without_beat(
    api_client, admin_client, shop, today, settings, django_capture_on_commit_callbacks
):
    if services._redis() is not None:
        pytest.skip("журнал идёт через буфер Redis, отчёты считает beat: проверяется встроенный вариант")
    # given: встроенный вариант — без Redis и beat, задачи Celery выполняются сразу
    settings.SEARCH_STATS_AGGREGATE_ON_WRITE = True
    # when: покупатель дважды ищет ноутбуки и один раз — то, чего нет
    with django_capture_on_commit_callbacks(execute=True):
        for query in ("Ноутбуки", "ноутбуки", "нечто несуществующее"):
            assert api_client.get("/api/v1/search/", {"q": query}, HTTP_X_REGION="msk").status_code == 200
    # then: агрегаты дня уже посчитаны, и отчёты их показывают
    daily = SearchQueryDaily.objects.get(date=today, region_code="msk", query="ноутбуки")
    assert (daily.searches, daily.zero_results) == (2, 0)
    assert SearchQueryDaily.objects.get(date=today, query="нечто несуществующее").zero_results == 1
    params = {"date_from": today.isoformat(), "date_to": today.isoformat(), "region_code": "msk"}
    assert "ноутбуки" in admin_client.get("/admin/reports/search-queries/", params).content.decode()
    assert "нечто несуществующее" in admin_client.get("/admin/reports/search-zero-results/", params).content.decode()


def test_admin_category_search_still_works_with_indexed_categories(admin_client, shop):
    response = admin_client.get("/admin/snippets/catalog/category/", {"q": "ноут"})
    assert response.status_code == 200
    assert "Ноутбуки" in response.content.decode()
