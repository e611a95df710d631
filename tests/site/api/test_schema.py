"""Схема OpenAPI и Swagger UI."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_openapi_schema_validates_without_warnings(tmp_path):
    schema_file = tmp_path / "schema.yml"

    # --fail-on-warn превращает любое предупреждение drf-spectacular в ошибку команды
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))

    text = schema_file.read_text(encoding="utf-8")
    assert text.startswith("openapi: 3")
    assert "/api/health/" in text


def test_schema_endpoint_serves_openapi_3(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert b"openapi: 3" in response.content


def test_swagger_ui_is_served_without_external_cdn(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr.net" not in html
