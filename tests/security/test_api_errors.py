"""Под /api/ — только JSON-ошибки в едином формате и 4xx за любой плохой ввод, при DEBUG и без.

Каждый случай — запрос, который раньше давал 500 или HTML-страницу.
"""

import json

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("debug", [False, True], ids=["debug_off", "debug_on"])]


@pytest.fixture(autouse=True)
def _debug(settings, debug):
    settings.DEBUG = debug


def assert_api_error(response, status_code, code=None):
    assert response.status_code == status_code, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    error = json.loads(response.content)["error"]
    assert set(error) >= {"code", "message", "fields"}
    assert error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error


def nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("url", ["/api/v1/checkout/", "/api/v1/cart/lines/", "/api/v1/auth/login/"])
def test_deeply_nested_json_is_400_json_too_deep(api_client, url, debug):
    body = '{"lines": ' + nested(100_000) + "}"

    response = api_client.post(url, data=body, content_type="application/json")

    assert_api_error(response, 400, "json_too_deep")


def test_json_nesting_is_limited_by_the_setting(api_client, settings, debug):
    settings.API_JSON_MAX_DEPTH = 5
    body = json.dumps({"login": "a@example.ru", "password": "x", "extra": [[[[[1]]]]]})

    response = api_client.post("/api/v1/auth/login/", data=body, content_type="application/json")

    assert_api_error(response, 400, "json_too_deep")


def test_json_within_the_depth_limit_is_accepted(api_client, settings, debug):
    settings.API_JSON_MAX_DEPTH = 5
    body = json.dumps({"login": "a@example.ru", "password": "x", "extra": [[[[1]]]]})

    response = api_client.post("/api/v1/auth/login/", data=body, content_type="application/json")

    assert response.json()["error"]["code"] != "json_too_deep"


@pytest.mark.parametrize(
    "body",
    ['{"login": "a\\u0000b@example.ru", "password": "x"}', '{"log\\u0000in": "a@example.ru", "password": "x"}'],
)
def test_nul_in_a_json_string_is_400(api_client, body, debug):
    response = api_client.post("/api/v1/auth/login/", data=body, content_type="application/json")

    assert_api_error(response, 400, "null_character")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/orders/track/ab%00cd/",
        "/api/v1/catalog/products/?category=ab%00c",
        "/api/v1/search/?q=%00",
        "/api/v2/pages/?slug=ab%00c",
    ],
)
def test_nul_in_a_path_or_query_parameter_is_400(api_client, url, debug):
    response = api_client.get(url)

    assert_api_error(response, 400, "null_character")


def test_overlong_email_at_sign_up_is_a_field_error_not_500(api_client, debug):
    # Длина проверяется полем, а не базой: одинаково на PostgreSQL и SQLite, с понятным текстом.
    email = "a" * 290 + "@example.ru"

    response = api_client.post(
        "/api/v1/auth/email/register/", {"email": email, "password": "Sup3r-secret-pass"}, format="json"
    )

    assert_api_error(response, 400, "validation_error")
    assert [field["path"] for field in response.json()["error"]["fields"]] == ["email"]


def test_database_data_error_in_any_view_becomes_400_invalid_data(debug):
    from django.db import DataError

    from core.errors import api_exception_handler

    response = api_exception_handler(DataError("value too long for type character varying(254)"), context={})

    assert response.status_code == 400
    assert response.data["error"]["code"] == "invalid_data"


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/api/v1/auth/login/", "application/json"),
        ("/api/v1/payments/webhooks/yookassa/", "application/json"),
        ("/api/v1/auth/login/", "application/x-www-form-urlencoded"),
    ],
)
def test_ten_megabyte_body_is_413(api_client, url, content_type, debug):
    body = b'{"login": "' + b"a" * (10 * 1024 * 1024) + b'"}'

    response = api_client.post(url, data=body, content_type=content_type)

    assert_api_error(response, 413, "request_too_large")


def test_body_over_the_limit_without_content_length_is_413_from_the_parser(settings, debug):
    from django.test import RequestFactory
    from rest_framework.request import Request

    from core.exceptions import RequestTooLarge
    from core.parsers import JSONParser

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    raw = RequestFactory().post(
        "/api/v1/auth/login/", data=b"[" + b"1," * 1000 + b"1]", content_type="application/json"
    )

    with pytest.raises(RequestTooLarge):
        JSONParser().parse(Request(raw).stream)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "get"])
@pytest.mark.parametrize("url", ["/api/v1/no-such-endpoint/", "/api/v1/no-such-endpoint", "/api/no/such/thing"])
def test_unknown_api_path_is_json_404_for_any_method(method, url, debug):
    # клиент Django с проверкой CSRF, как браузер без токена
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    body = {} if method == "get" else {"data": "{}", "content_type": "application/json"}

    response = getattr(csrf_client, method)(url, **body)

    assert_api_error(response, 404, "not_found")


def test_errors_under_a_region_subfolder_are_json_too(api_client, debug):
    from tests.factories.regions import RegionFactory

    RegionFactory(code="msk")

    assert_api_error(api_client.post("/msk/api/v1/no-such-endpoint"), 404, "not_found")
    assert_api_error(api_client.get("/msk/api/v1/orders/track/ab%00cd/"), 400, "null_character")


def test_messages_of_the_middleware_follow_accept_language(api_client, debug):
    response = api_client.get("/api/v1/search/?q=%00", HTTP_ACCEPT_LANGUAGE="en")

    error = assert_api_error(response, 400, "null_character")
    assert error["message"] == "The request contains a forbidden NUL character (\\u0000)."


def test_wagtail_api_error_asked_for_as_html_is_json_with_its_code(api_client, debug):
    response = api_client.get("/api/v2/pages/999999/", HTTP_ACCEPT="text/html")

    assert_api_error(response, 404, "not_found")


def test_get_without_trailing_slash_still_redirects_to_the_api_endpoint(client, debug):
    response = client.get("/api/health?x=1")

    assert response.status_code == 301
    assert response["Location"] == "/api/health/?x=1"


def test_not_found_inside_a_drf_view_is_json_even_when_html_is_asked_for(api_client, debug):
    response = api_client.get("/api/v1/catalog/products/no-such-product/", HTTP_ACCEPT="text/html")

    assert_api_error(response, response.status_code)
    assert response.status_code in (404, 406)


@pytest.mark.parametrize("status_code", [400, 403, 404, 405, 413, 500])
def test_any_html_error_page_under_api_is_replaced_by_json_of_the_same_status(status_code, debug):
    # given: страница ошибки, нарисованная не нами (страница отладки DEBUG, чужой обработчик)
    from django.http import HttpResponse
    from django.test import RequestFactory

    from core.middleware import ApiErrorsMiddleware

    def html_error(request):
        response = HttpResponse("<html><body>Traceback ...</body></html>", status=status_code)
        response["Allow"] = "GET"
        return response

    # when
    response = ApiErrorsMiddleware(html_error)(RequestFactory().get("/api/v1/anything/"))

    # then
    error = assert_api_error(response, status_code)
    assert "Traceback" not in error["message"]
    assert response["Allow"] == "GET"


def test_drf_error_rendered_as_html_keeps_its_code_and_fields(debug):
    from django.test import RequestFactory
    from rest_framework.response import Response

    from core.errors import error_body
    from core.middleware import ApiErrorsMiddleware

    def browsable_error(request):
        response = Response(error_body(code="cart_empty", message="Корзина пуста."), status=409)
        response.content = b"<html>browsable</html>"
        response["Content-Type"] = "text/html; charset=utf-8"
        return response

    response = ApiErrorsMiddleware(browsable_error)(RequestFactory().get("/api/v1/checkout/"))

    assert_api_error(response, 409, "cart_empty")


def test_wagtail_api_and_schema_errors_are_json(api_client, debug):
    assert_api_error(api_client.get("/api/v2/pages/999999/"), 404, "not_found")
    assert_api_error(api_client.get("/api/v2/pages/?limit=abc"), 400, "bad_request")
    assert_api_error(api_client.post("/api/schema/"), 405, "method_not_allowed")


def test_csrf_failure_under_api_is_json(debug):
    from django.test import RequestFactory

    from core.errors import csrf_failure

    response = csrf_failure(RequestFactory().post("/api/v1/anything/"), reason="CSRF cookie not set.")

    assert_api_error(response, 403, "csrf_failed")


def test_html_error_pages_outside_the_api_are_untouched(client, debug):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "application/json" not in response["Content-Type"]
