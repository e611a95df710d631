"""Региональность блога: статья региона видна только в нём, общая — везде."""

import pytest

from tests.factories.blog import ArticlePageFactory

pytestmark = pytest.mark.django_db


def _titles(api_client, **params):
    response = api_client.get("/api/v2/pages/", {"type": "blog.ArticlePage", **params})
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


def test_region_listing_includes_its_own_and_shared_articles(api_client, shared_blog, kazan_blog):
    # given: общая статья (блог региона по умолчанию) и статья только для Казани
    ArticlePageFactory(parent=shared_blog, title="Общая", slug="obshchaya")
    ArticlePageFactory(parent=kazan_blog, title="Казанская", slug="kazanskaya")
    # then: Казань видит обе, Москва — только общую
    assert _titles(api_client, region="kzn") == ["Казанская", "Общая"]
    assert _titles(api_client, region="msk") == ["Общая"]


def test_region_is_taken_from_the_x_region_header_too(api_client, shared_blog, kazan_blog):
    ArticlePageFactory(parent=kazan_blog, title="Казанская", slug="kazanskaya")
    response = api_client.get("/api/v2/pages/", {"type": "blog.ArticlePage"}, HTTP_X_REGION="kzn")
    assert [item["title"] for item in response.json()["items"]] == ["Казанская"]


def test_regional_article_with_the_same_path_replaces_the_shared_one(api_client, shared_blog, kazan_blog):
    # given: у Казани своя версия статьи по тому же адресу
    ArticlePageFactory(parent=shared_blog, title="Доставка (общая)", slug="dostavka")
    ArticlePageFactory(parent=kazan_blog, title="Доставка по Казани", slug="dostavka")
    # then
    assert _titles(api_client, region="kzn") == ["Доставка по Казани"]
    assert _titles(api_client, region="msk") == ["Доставка (общая)"]


def test_find_by_storefront_path_falls_back_to_the_shared_article(api_client, shared_blog, kazan_blog):
    shared = ArticlePageFactory(parent=shared_blog, title="Общая", slug="obshchaya")
    response = api_client.get("/api/v2/pages/find/", {"html_path": "/blog/obshchaya/", "region": "kzn"}, follow=True)
    assert response.status_code == 200
    assert response.json()["id"] == shared.pk


def test_draft_and_unpublished_articles_never_reach_the_listing(api_client, shared_blog):
    ArticlePageFactory(parent=shared_blog, title="Черновик", publish=False)
    published = ArticlePageFactory(parent=shared_blog, title="Снята с публикации")
    published.unpublish()
    assert _titles(api_client, region="msk") == []
