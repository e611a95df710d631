"""Единый формат ошибок API: код, русское сообщение, путь поля."""

import pytest

pytestmark = pytest.mark.django_db


def test_unknown_api_path_gives_json_404(client):
    response = client.get("/api/v1/no-such-endpoint/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": {"code": "not_found", "message": "Страница не найдена.", "fields": []}}


def test_validation_error_lists_field_paths_in_russian(api_client):
    response = api_client.post("/api/v1/auth/login/", {}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == "Проверьте введённые данные."
    paths = {field["path"]: field for field in error["fields"]}
    assert {"login", "password"} <= set(paths)
    assert paths["password"]["code"] == "required"
    assert paths["password"]["message"] == "Требуется заполнить это поле."


def test_method_not_allowed_gives_405_in_the_same_format(api_client):
    response = api_client.delete("/api/health/")

    assert response.status_code == 405
    error = response.json()["error"]
    assert error["code"] == "method_not_allowed"
    assert "DELETE" in error["message"]
    assert error["fields"] == []


def test_malformed_json_gives_parse_error(api_client):
    response = api_client.post("/api/v1/auth/login/", data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_messages_follow_accept_language(api_client):
    response = api_client.delete("/api/health/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["error"]["message"] == 'Method "DELETE" not allowed.'


def test_wagtail_content_api_404_uses_the_same_format(api_client):
    response = api_client.get("/api/v2/pages/999999/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_wagtail_content_api_bad_filter_is_400_with_code(api_client):
    response = api_client.get("/api/v2/pages/?no_such_filter=1")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_nested_field_errors_get_dotted_paths():
    from rest_framework.exceptions import ErrorDetail

    from core.errors import _flatten_field_errors

    detail = {
        "lines": [{}, {"quantity": [ErrorDetail("Слишком много.", code="max_value")]}],
        "non_field_errors": [ErrorDetail("Корзина пуста.", code="empty")],
    }

    assert _flatten_field_errors(detail) == [
        {"path": "lines.1.quantity", "code": "max_value", "message": "Слишком много."},
        {"path": "", "code": "empty", "message": "Корзина пуста."},
    ]


def test_non_api_404_stays_an_html_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "application/json" not in response["Content-Type"]


def test_django_http404_inside_a_drf_view_gives_json_404_not_500():
    from django.http import Http404

    from core.errors import api_exception_handler

    response = api_exception_handler(Http404("нет такого адреса"), context={})

    assert response.status_code == 404
    assert response.data["error"]["code"] == "not_found"


def test_django_permission_denied_inside_a_drf_view_gives_403():
    from django.core.exceptions import PermissionDenied

    from core.errors import api_exception_handler

    response = api_exception_handler(PermissionDenied(), context={})

    assert response.status_code == 403
    assert response.data["error"]["code"] == "permission_denied"


def test_cors_lets_a_storefront_send_the_order_token_and_read_service_headers(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.ru"]

    preflight = api_client.options(
        "/api/v1/orders/A-1/pay",
        HTTP_ORIGIN="https://www.example.ru",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, x-order-token, idempotency-key",
    )
    response = api_client.get("/api/health/", HTTP_ORIGIN="https://www.example.ru")

    assert preflight.status_code == 200
    allowed = {name.strip() for name in preflight["Access-Control-Allow-Headers"].split(",")}
    assert {"x-order-token", "idempotency-key", "content-type"} <= allowed
    exposed = {name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert {"retry-after", "idempotent-replayed", "x-region"} <= exposed


def test_cors_headers_are_on_json_error_responses_too(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.ru"]

    response = api_client.post("/api/v1/no-such-endpoint", HTTP_ORIGIN="https://www.example.ru")

    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "https://www.example.ru"
