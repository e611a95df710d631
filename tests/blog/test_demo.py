"""Демо-блог seed_demo: серия из трёх статей и новости в двух регионах, без дублей при повторе."""

import io

import pytest

from blog.demo import seed_blog
from blog.models import ArticleKind, ArticlePage, BlogIndexPage, SeriesPage
from regions.demo import seed_regions

pytestmark = pytest.mark.django_db


def test_demo_blog_has_a_series_of_three_and_news_in_two_regions_and_is_idempotent(api_client):
    # given
    out = io.StringIO()
    seed_regions(stdout=out)
    # when: наполнение дважды
    seed_blog(stdout=out)
    seed_blog(stdout=out)
    # then
    assert BlogIndexPage.objects.count() == 2
    series = SeriesPage.objects.get()
    assert series.get_children().live().count() == 3
    news = ArticlePage.objects.filter(kind=ArticleKind.NEWS)
    assert news.count() == 4
    regions_with_news = {page.url_path.split("/")[2] for page in news}
    assert regions_with_news == {"msk", "kzn"}
    # Казань видит свои новости и общие, Москва — только общие
    params = {"type": "blog.ArticlePage", "kind": "news", "limit": 20}
    kazan = api_client.get("/api/v2/pages/", {**params, "region": "kzn"}).json()["meta"]["total_count"]
    moscow = api_client.get("/api/v2/pages/", {**params, "region": "msk"}).json()["meta"]["total_count"]
    assert (kazan, moscow) == (4, 2)


def test_demo_blog_is_skipped_politely_without_regions():
    out = io.StringIO()
    seed_blog(stdout=out)
    assert BlogIndexPage.objects.count() == 0
    assert "seed_regions" in out.getvalue()
