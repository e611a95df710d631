"""Схема OpenAPI API сотрудников: отдельный документ без предупреждений, в Swagger UI рядом со схемой витрины."""

import re

import pytest
from django.core.management import call_command
from drf_spectacular.settings import patched_settings

from staffapi.schema import SCHEMA_SETTINGS

pytestmark = pytest.mark.django_db


def test_admin_schema_validates_without_warnings(tmp_path):
    schema_file = tmp_path / "admin.yml"

    with patched_settings(SCHEMA_SETTINGS):
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))

    text = schema_file.read_text(encoding="utf-8")
    assert "/api/admin/v1/orders/{number}/transition/" in text
    # Ни одного пути витрины (пример ссылки в общем конверте списков путём не считается).
    paths = re.findall(r"^  (/\S+):$", text, flags=re.M)
    assert paths and all(path.startswith("/api/admin/v1/") for path in paths)


def test_admin_schema_is_served_and_separate_from_the_shop_schema(client):
    admin = client.get("/api/admin/schema/", {"format": "json"}).json()
    shop = client.get("/api/schema/", {"format": "json"}).json()

    assert admin["info"]["title"] == "Megashop Staff API"
    assert all(path.startswith("/api/admin/v1/") for path in admin["paths"])
    assert not any(path.startswith("/api/admin/") for path in shop["paths"])
    assert "/api/admin/v1/offers/bulk/" in admin["paths"]
    # Ответы-ошибки ссылаются на ErrorResponse: компонент должен быть в самой схеме (иначе клиент не собрать).
    assert {"ErrorResponse", "ErrorBody", "ErrorField"} <= set(admin["components"]["schemas"])


def test_swagger_ui_lists_both_schemas(client):
    html = client.get("/api/docs/").content.decode()

    assert "/api/admin/schema/" in html
    assert "/api/schema/" in html
