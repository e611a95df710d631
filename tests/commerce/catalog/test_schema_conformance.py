"""Живые ответы каталога и поиска совпадают с их схемой OpenAPI (ни лишних, ни пропавших полей)."""

import pytest

from tests.openapi_conformance import assert_matches_schema

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "path", "params"),
    [
        ("/api/v1/catalog/products/", "/api/v1/catalog/products/", {"sort": "price", "page_size": 1}),
        ("/api/v1/catalog/products/facets/", "/api/v1/catalog/products/facets/", {}),
        ("/api/v1/catalog/categories/", "/api/v1/catalog/categories/", {}),
        ("/api/v1/catalog/categories/phones/", "/api/v1/catalog/categories/{slug}/", {}),
        ("/api/v1/catalog/products/phone-a/", "/api/v1/catalog/products/{slug}/", {}),
        ("/api/v1/catalog/products/", "/api/v1/catalog/products/", {"price_min": "abc"}),
        ("/api/v1/catalog/products/missing/", "/api/v1/catalog/products/{slug}/", {}),
    ],
)
def test_catalog_responses_match_their_schema(api_client, catalog, url, path, params):
    response = api_client.get(url, params, HTTP_X_REGION="msk")
    assert response.status_code in (200, 400, 404)
    assert_matches_schema(response, path=path)


def test_conformance_check_fails_on_an_undocumented_field(api_client, catalog):
    response = api_client.get("/api/v1/catalog/products/", HTTP_X_REGION="msk")
    response.json()["results"][0]["surprise"] = 1
    with pytest.raises(AssertionError, match="surprise"):
        assert_matches_schema(response, path="/api/v1/catalog/products/")


def test_conformance_check_fails_on_a_missing_field(api_client, catalog):
    response = api_client.get("/api/v1/catalog/products/", HTTP_X_REGION="msk")
    del response.json()["next"]
    with pytest.raises(AssertionError, match="next"):
        assert_matches_schema(response, path="/api/v1/catalog/products/")
