"""Предпросмотр черновика на витрине: админка выдаёт токен, API отдаёт черновик по нему."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.factories.accounts import UserFactory
from tests.factories.blog import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def _preview_query(editor_client, page, title):
    """Нажать «Предпросмотр» в редакторе страницы и вернуть параметры адреса витрины."""
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    form = nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "kind": page.kind,
            "publish_date": page.publish_date.isoformat(),
            "lead": "Черновой лид",
            "tags": "",
            "body": streamfield([("paragraph", rich_text("<p>Черновой текст.</p>"))]),
        }
    )
    assert editor_client.post(url, form).json()["is_valid"] is True
    response = editor_client.get(url)
    assert response.status_code == 200
    preview_url = html.unescape(re.search(r'<iframe src="([^"]+)"', response.content.decode()).group(1))
    assert preview_url.startswith("http://localhost:3000/preview/")
    return {name: values[0] for name, values in parse_qs(urlsplit(preview_url).query).items()}


def test_storefront_reads_the_unpublished_draft_by_preview_token(editor_client, api_client, shared_blog):
    # given: опубликованная статья, редактор правит заголовок, но не публикует
    article = ArticlePageFactory(parent=shared_blog, title="Опубликованный заголовок")
    query = _preview_query(editor_client, article, "Черновой заголовок")
    assert query["content_type"] == "blog.articlepage"
    # when: витрина спрашивает API по токену
    response = api_client.get("/api/v2/page_preview/", query)
    # then: черновик — в формате детальной страницы, а опубликованная версия не изменилась
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["id"] == article.pk
    assert data["title"] == "Черновой заголовок"
    assert data["lead"] == "Черновой лид"
    assert "Черновой текст." in data["body"][0]["value"]["content"]
    assert "series" in data and "seo" in data
    published = api_client.get(f"/api/v2/pages/{article.pk}/").json()
    assert published["title"] == "Опубликованный заголовок"


@pytest.mark.parametrize(
    "query",
    [
        {"content_type": "blog.articlepage", "token": "id=1:forged-signature"},
        {"content_type": "blog.articlepage", "token": ""},
        {"content_type": "wagtailcore.page", "token": "x"},
        {"content_type": "nope.nothing", "token": "x"},
    ],
)
def test_forged_or_unknown_preview_tokens_give_404(api_client, shared_blog, query):
    response = api_client.get("/api/v2/page_preview/", query)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_valid_token_for_another_page_type_does_not_leak_the_draft(editor_client, api_client, shared_blog):
    article = ArticlePageFactory(parent=shared_blog)
    query = _preview_query(editor_client, article, "Черновик")
    response = api_client.get("/api/v2/page_preview/", {**query, "content_type": "blog.seriespage"})
    assert response.status_code == 404
