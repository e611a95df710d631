"""Блог на бэкенде без шаблонов: HTML-адрес статьи перенаправляет (не 500), ленты отдаются."""

import pytest

from tests.factories.blog import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_article_html_url_redirects_to_the_content_api(client, shared_blog, settings):
    settings.STOREFRONT_URL = ""
    article = ArticlePageFactory(parent=shared_blog, slug="kak-vybrat")

    response = client.get(article.get_url())

    assert response.status_code == 302
    assert response["Location"] == f"/api/v2/pages/{article.pk}/"


def test_article_html_url_redirects_to_the_storefront_when_configured(client, shared_blog, settings):
    settings.STOREFRONT_URL = "https://www.example.ru"
    article = ArticlePageFactory(parent=shared_blog, slug="kak-vybrat")
    url = article.get_url()

    response = client.get(f"{url}?utm_source=mail")

    assert response.status_code == 302
    assert response["Location"] == f"https://www.example.ru{url}?utm_source=mail"


def test_blog_feed_is_still_served_by_the_page_itself(client, shared_blog):
    ArticlePageFactory(parent=shared_blog)

    response = client.get(f"{shared_blog.get_url()}rss/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
