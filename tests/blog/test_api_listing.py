"""Список статей в /api/v2/pages/: фильтры, порядок, ошибки и постоянное число запросов."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import ArticlePage
from tests.factories.blog import (
    ArticlePageFactory,
    BlogAuthorFactory,
    BlogCategoryFactory,
    ImageFactory,
    NewsPageFactory,
    SeriesPageFactory,
)

pytestmark = pytest.mark.django_db

LISTING_FIELDS = "kind,lead,publish_date,reading_time,cover_image,author,category,tags,series,seo"


def _titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def _list(api_client, **params):
    return api_client.get("/api/v2/pages/", {"type": "blog.ArticlePage", **params})


def test_articles_and_news_come_newest_first_by_publish_date(api_client, shared_blog):
    # given: даты публикации не совпадают с порядком создания
    ArticlePageFactory(parent=shared_blog, title="Старая", publish_date=datetime.date(2024, 5, 1))
    NewsPageFactory(parent=shared_blog, title="Свежая новость", publish_date=datetime.date(2025, 6, 1))
    ArticlePageFactory(parent=shared_blog, title="Средняя", publish_date=datetime.date(2025, 1, 1))
    # when
    response = _list(api_client)
    # then
    assert _titles(response) == ["Свежая новость", "Средняя", "Старая"]


def test_explicit_order_parameter_wins_over_newest_first(api_client, shared_blog):
    ArticlePageFactory(parent=shared_blog, title="Б", publish_date=datetime.date(2025, 1, 1))
    ArticlePageFactory(parent=shared_blog, title="А", publish_date=datetime.date(2024, 1, 1))
    assert _titles(_list(api_client, order="title")) == ["А", "Б"]


def test_kind_filter_separates_news_from_articles(api_client, shared_blog):
    ArticlePageFactory(parent=shared_blog, title="Обзор")
    NewsPageFactory(parent=shared_blog, title="Открыли магазин")
    assert _titles(_list(api_client, kind="news")) == ["Открыли магазин"]
    assert _titles(_list(api_client, kind="article")) == ["Обзор"]


def test_tag_filter_by_slug_requires_every_listed_tag(api_client, shared_blog):
    ArticlePageFactory(parent=shared_blog, title="Оба тега", tags=["laptops", "gaming"])
    ArticlePageFactory(parent=shared_blog, title="Только ноутбуки", tags=["laptops"])
    ArticlePageFactory(parent=shared_blog, title="Без тегов")
    assert sorted(_titles(_list(api_client, tag="laptops"))) == ["Оба тега", "Только ноутбуки"]
    assert _titles(_list(api_client, tag="laptops,gaming")) == ["Оба тега"]


def test_category_filter_by_slug_and_by_id(api_client, shared_blog):
    reviews = BlogCategoryFactory(name="Обзоры", slug="reviews")
    ArticlePageFactory(parent=shared_blog, title="Обзор", category=reviews)
    ArticlePageFactory(parent=shared_blog, title="Совет", category=BlogCategoryFactory(slug="tips"))
    assert _titles(_list(api_client, category_slug="reviews")) == ["Обзор"]
    assert _titles(_list(api_client, category=reviews.pk)) == ["Обзор"]


def test_date_filters_bound_the_publish_date_inclusively(api_client, shared_blog):
    NewsPageFactory(parent=shared_blog, title="Март", publish_date=datetime.date(2025, 3, 31))
    NewsPageFactory(parent=shared_blog, title="Апрель", publish_date=datetime.date(2025, 4, 1))
    NewsPageFactory(parent=shared_blog, title="Май", publish_date=datetime.date(2025, 5, 15))
    assert _titles(_list(api_client, date_from="2025-04-01", date_to="2025-05-15")) == ["Май", "Апрель"]
    assert _titles(_list(api_client, year="2025", month="3")) == ["Март"]
    assert _titles(_list(api_client, kind="news", year="2025")) == ["Май", "Апрель", "Март"]


def test_series_filter_lists_parts_in_series_order_not_by_date(api_client, shared_blog):
    # given: части созданы по порядку, но даты публикации идут наоборот
    series = SeriesPageFactory(parent=shared_blog, title="Как выбрать ноутбук")
    for number in range(1, 4):
        ArticlePageFactory(parent=series, title=f"Часть {number}", publish_date=datetime.date(2025, 1, 10 - number))
    ArticlePageFactory(parent=shared_blog, title="Вне серии")
    # when
    response = _list(api_client, series=series.pk, fields="series")
    # then
    assert _titles(response) == ["Часть 1", "Часть 2", "Часть 3"]
    positions = [item["series"]["position"] for item in response.json()["items"]]
    assert positions == [1, 2, 3]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"date_from": "01.04.2025"}, "date_from"),
        ({"year": "abc"}, "year"),
        ({"year": "2025", "month": "13"}, "month"),
        ({"month": "4"}, "month"),
        ({"series": "999999"}, "999999"),
    ],
)
def test_bad_filter_values_give_400_in_the_unified_error_format(api_client, shared_blog, params, fragment):
    response = _list(api_client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "bad_request"
    assert fragment in body["error"]["message"]


def test_blog_filters_without_article_type_are_rejected_not_ignored(api_client, shared_blog):
    response = api_client.get("/api/v2/pages/", {"tag": "laptops"})
    assert response.status_code == 400
    assert "type=blog.ArticlePage" in response.json()["error"]["message"]


def test_listing_items_carry_card_fields(api_client, shared_blog):
    image = ImageFactory()
    author = BlogAuthorFactory(name="Анна Смирнова", photo=image)
    category = BlogCategoryFactory(name="Обзоры", slug="reviews")
    ArticlePageFactory(parent=shared_blog, cover_image=image, author=author, category=category, tags=["laptops"])
    item = _list(api_client, fields=LISTING_FIELDS).json()["items"][0]
    assert item["author"]["name"] == "Анна Смирнова"
    assert set(item["author"]["photo"]["renditions"]) == {"avatar"}
    assert item["category"] == {"id": category.pk, "name": "Обзоры", "slug": "reviews"}
    assert item["tags"] == [{"name": "laptops", "slug": "laptops"}]
    assert set(item["cover_image"]["renditions"]) == {"card", "wide"}
    assert item["cover_image"]["renditions"]["card"]["width"] == 640
    assert item["seo"]["og_image"]["width"] == 1200
    assert item["series"] is None


def _make_articles(parent, count, prefix):
    """Создать опубликованные статьи с обложкой, автором, рубрикой, тегами и серией — быстро, без ревизий."""
    image = ImageFactory()
    author = BlogAuthorFactory(photo=image)
    category = BlogCategoryFactory()
    series = SeriesPageFactory(parent=parent, slug=f"{prefix}-series")
    now = timezone.now()
    for number in range(count):
        # Каждая третья — часть серии, включая самую новую: в первой позиции списка тоже серия.
        target = series if number % 3 == 2 else parent
        article = ArticlePage(
            title=f"Статья {number}",
            slug=f"{prefix}-{number}",
            cover_image=image,
            author=author,
            category=category,
            publish_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=number),
            first_published_at=now,
            last_published_at=now,
            live=True,
        )
        article.tags.add(f"tag-{number % 4}", "common")
        target.add_child(instance=article)


def _count_queries(api_client, limit):
    with CaptureQueriesContext(connection) as context:
        response = _list(api_client, limit=limit, fields=LISTING_FIELDS, region="kzn")
    assert response.status_code == 200
    assert len(response.json()["items"]) == limit
    return len(context.captured_queries)


def test_listing_costs_the_same_number_of_queries_at_limit_1_and_50(
    api_client, shared_blog, kazan_blog, django_assert_max_num_queries
):
    # given: 60 статей с картинками, авторами, тегами и сериями в общем блоге и в блоге Казани
    _make_articles(shared_blog, 30, "shared")
    _make_articles(kazan_blog, 30, "kazan")
    # Первый запрос создаёт варианты картинок — это разовая работа, а не цена списка.
    _list(api_client, limit=50, fields=LISTING_FIELDS, region="kzn")
    # when
    at_one = _count_queries(api_client, 1)
    at_fifty = _count_queries(api_client, 50)
    # then
    assert at_one == at_fifty
    with django_assert_max_num_queries(at_one):
        _list(api_client, limit=50, fields=LISTING_FIELDS, region="kzn")
    with django_assert_max_num_queries(at_one):
        _list(api_client, limit=1, fields=LISTING_FIELDS, region="kzn")
