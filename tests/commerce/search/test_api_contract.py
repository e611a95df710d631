"""Контракт API поиска: схема OpenAPI без догадок и ограничение событий по адресу клиента."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from commerce.search.api.views import SearchEventApi

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/search/events/"


def test_search_endpoints_have_response_schemas():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    expected = {
        ("/api/v1/search/", "get", "200"): "SearchResult",
        ("/api/v1/search/suggest/", "get", "200"): "Suggest",
        ("/api/v1/search/popular/", "get", "200"): "PopularQueries",
        ("/api/v1/search/events/", "post", "202"): "EventAccepted",
    }
    for (path, method, code), component in expected.items():
        content = paths[path][method]["responses"][code]["content"]["application/json"]
        assert content["schema"]["$ref"].endswith(f"/{component}Schema")


def test_spoofed_forwarded_for_does_not_bypass_event_throttle(api_client, shop, monkeypatch, settings):
    # given: 2 события в минуту; прокси не настроены, X-Forwarded-For не доверяется
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setitem(SearchEventApi.throttle_classes[0].THROTTLE_RATES, "search_events", "2/min")
    body = {"kind": "view", "product": "phone-a"}
    # when
    codes = [
        api_client.post(EVENTS, body, format="json", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}").status_code
        for number in range(3)
    ]
    # then
    assert codes == [202, 202, 429]
