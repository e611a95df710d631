"""Адреса для людей — на витрине: meta.html_url, canonical и ссылки лент строятся от STOREFRONT_URL."""

import pytest
from defusedxml import ElementTree as ET

from core.storefront import page_storefront_url
from tests.factories.blog import ArticlePageFactory

pytestmark = pytest.mark.django_db
STOREFRONT = "https://shop.example.ru"


@pytest.fixture
def storefront(settings):
    settings.STOREFRONT_URL = STOREFRONT + "/"


def test_pages_api_html_url_and_canonical_point_at_the_storefront(api_client, shared_blog, storefront):
    article = ArticlePageFactory(parent=shared_blog, title="Статья", slug="statya")

    detail = api_client.get(f"/api/v2/pages/{article.pk}/").json()
    listing = api_client.get("/api/v2/pages/", {"type": "blog.ArticlePage", "fields": "html_url"}).json()

    assert detail["meta"]["html_url"] == f"{STOREFRONT}/msk/blog/statya/"
    assert detail["seo"]["canonical_url"] == f"{STOREFRONT}/msk/blog/statya/"
    assert [item["meta"]["html_url"] for item in listing["items"]] == [f"{STOREFRONT}/msk/blog/statya/"]


def test_feed_links_point_at_the_storefront(client, shared_blog, storefront):
    ArticlePageFactory(parent=shared_blog, title="Статья", slug="statya")

    root = ET.fromstring(client.get("/msk/blog/rss/").content)

    assert root.find("channel/link").text == f"{STOREFRONT}/msk/blog/"
    assert [item.find("link").text for item in root.iter("item")] == [f"{STOREFRONT}/msk/blog/statya/"]


def test_without_storefront_url_links_stay_on_the_site(api_client, shared_blog, settings):
    settings.STOREFRONT_URL = ""
    article = ArticlePageFactory(parent=shared_blog, slug="statya")

    detail = api_client.get(f"/api/v2/pages/{article.pk}/").json()

    assert detail["meta"]["html_url"].endswith("/msk/blog/statya/")
    assert not detail["meta"]["html_url"].startswith(STOREFRONT)


def test_without_storefront_url_links_are_on_the_backend_host_and_port(api_client, shared_blog, settings):
    # given: `make run PORT=8123` — сайт Wagtail записан как localhost:80, сервер слушает 8123
    settings.STOREFRONT_URL = ""
    settings.WAGTAILAPI_BASE_URL = "http://127.0.0.1:8123"
    article = ArticlePageFactory(parent=shared_blog, slug="statya")
    # when: запрос пришёл туда, где слушает сервер
    detail = api_client.get(f"/api/v2/pages/{article.pk}/", HTTP_HOST="127.0.0.1:8123").json()
    # then: ссылка открывается на этом же сервере и ведёт (перенаправлением) к странице в API
    assert detail["meta"]["html_url"] == "http://127.0.0.1:8123/msk/blog/statya/"
    assert detail["seo"]["canonical_url"] == "http://127.0.0.1:8123/msk/blog/statya/"
    # без запроса (задача, письмо) — адрес бэкенда из настроек
    assert page_storefront_url(page=article) == "http://127.0.0.1:8123/msk/blog/statya/"
    redirect = api_client.get("/msk/blog/statya/")
    assert redirect.status_code == 302 and redirect["Location"] == f"/api/v2/pages/{article.pk}/"
