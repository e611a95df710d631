"""Схема OpenAPI: у каждой операции — ответы-ошибки в едином формате; один конверт списков."""

import pytest
from django.test import RequestFactory
from drf_spectacular.generators import SchemaGenerator

from core.pagination import ENVELOPE_FIELDS, page_envelope
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/ErrorResponse"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_lists_error_responses_in_the_error_format(schema):
    missing = []
    for path, method, operation in _operations(schema):
        errors = {code: response for code, response in operation["responses"].items() if code.startswith("4")}
        if not errors:
            missing.append((path, method))
        for code, response in errors.items():
            assert response["content"]["application/json"]["schema"]["$ref"] == ERROR_REF, (path, method, code)
            assert response["description"], (path, method, code)
    assert missing == []


def test_checkout_lists_its_codes(schema):
    responses = schema["paths"]["/api/v1/checkout/"]["post"]["responses"]
    assert "`delivery_method_not_enabled`" in responses["400"]["description"]
    assert "`pickup_point_not_found`" in responses["400"]["description"]
    assert "`order_total_changed`" in responses["409"]["description"]
    assert "`throttled`" in responses["429"]["description"]


def test_every_paginated_list_uses_the_one_envelope(schema):
    paginated = [name for name in schema["components"]["schemas"] if name.startswith("Paginated")]
    assert paginated
    for name in paginated:
        assert schema["components"]["schemas"][name]["required"] == list(ENVELOPE_FIELDS), name
    for name in ("ProductListSchema", "SearchResultSchema"):
        assert set(ENVELOPE_FIELDS) <= set(schema["components"]["schemas"][name]["properties"]), name


def test_envelope_links_keep_other_parameters_and_drop_page_one():
    request = RequestFactory().get("/api/v1/orders/", {"page": "2", "sort": "new"})
    body = page_envelope(request=request, count=50, page=2, page_size=20, results=[])
    assert (body["num_pages"], body["next"], body["previous"]) == (
        3,
        "/api/v1/orders/?page=3&sort=new",
        "/api/v1/orders/?sort=new",
    )
    empty = page_envelope(request=request, count=0, page=1, page_size=20, results=[])
    assert (empty["num_pages"], empty["next"], empty["previous"]) == (0, None, None)
    assert list(body) == list(ENVELOPE_FIELDS)


def test_bad_jwt_answers_token_invalid_with_a_human_message(api_client):
    RegionFactory(code="msk", is_default=True)
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "token_invalid"
    assert error["message"] == "Токен недействителен или истёк: обновите его или войдите снова."
