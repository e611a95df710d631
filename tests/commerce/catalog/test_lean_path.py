"""Короткий путь публичных анонимных GET каталога отвечает так же, как обычный."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

PATHS = [
    ("/api/v1/catalog/products/", {"category": "electronics", "sort": "price"}),
    ("/api/v1/catalog/products/facets/", {"category": "electronics"}),
    ("/api/v1/catalog/products/phone-a/", {}),
    ("/api/v1/catalog/products/no-such-product/", {}),
    ("/api/v1/catalog/products/", {"price_min": "abc"}),
    ("/api/v1/catalog/categories/", {}),
]


def _lean_client(settings):
    """Клиент без cookie: Django test Client шлёт cookie только если они есть."""
    settings.CATALOG_CACHE_TIMEOUT = 0
    return Client()


@pytest.mark.parametrize(("path", "params"), PATHS)
def test_lean_answer_equals_full_answer(catalog, settings, path, params):
    # given: тот же запрос коротким путём и обычным (cookie уводит его на обычный путь)
    lean = _lean_client(settings).get(path, params, HTTP_X_REGION="msk")
    full_client = Client()
    full_client.cookies["storefront"] = "1"
    full = full_client.get(path, params, HTTP_X_REGION="msk")

    # then: статус, тело и заголовки ответа каталога совпадают
    assert lean.status_code == full.status_code
    assert lean.content == full.content
    assert lean["Content-Type"] == full["Content-Type"]
    for header in ("ETag", "X-Region", "X-Frame-Options", "Content-Length"):
        assert lean.get(header) == full.get(header), header


def test_lean_path_skips_session_and_user_work(catalog, settings):
    # given
    client = _lean_client(settings)

    # when
    response = client.get("/api/v1/catalog/products/", {"category": "phones"}, HTTP_X_REGION="msk")

    # then: middleware после короткого пути не вызывались — хранилища сообщений у запроса нет
    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "_messages")
    assert response.wsgi_request.resolver_match.url_name == "product-list"


def test_requests_with_credentials_take_the_full_path(catalog, settings):
    # given: токен в заголовке
    client = _lean_client(settings)

    # when
    response = client.get("/api/v1/catalog/categories/", HTTP_AUTHORIZATION="Bearer x")

    # then: обычный путь — MessageMiddleware поставил хранилище сообщений
    assert hasattr(response.wsgi_request, "_messages")


@override_settings(CATALOG_LEAN_PATH=False)
def test_lean_path_can_be_switched_off(catalog):
    response = Client().get("/api/v1/catalog/categories/")
    assert hasattr(response.wsgi_request, "_messages")
