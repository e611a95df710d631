"""«Проверить соединение» и добавление подключения ERPNext из командной строки."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from integrations.core.models import Connection
from integrations.core.services import connection_check
from integrations.erpnext.options import options_get
from tests.integrations.erpnext.conftest import erp_connection_create

pytestmark = pytest.mark.django_db


def test_check_logs_in_with_token_and_shows_webhook_address(erp, fake):
    result = connection_check(connection=erp)

    assert result.ok, result.message
    assert "shop-api@erp.example.ru" in result.message
    assert f"/integrations/hooks/erp/{erp.webhook_token}/" in result.message
    assert ("GET", "/api/method/frappe.auth.get_logged_user", {}) in fake.requests


def test_check_with_wrong_secret_says_401_and_hides_secret(shop, fake, httpserver, root_collection):
    connection = erp_connection_create(fake, httpserver, secrets={"api_secret": "wrong-secret-123"})

    result = connection_check(connection=connection)

    assert not result.ok
    assert "401" in result.message
    assert "wrong-secret-123" not in result.message


def test_check_reports_price_list_currency_mismatch_and_unknown_warehouse(shop, fake, httpserver, root_collection):
    connection = erp_connection_create(
        fake,
        httpserver,
        options={
            "price_list_map": {"Export": "base"},
            "warehouse_map": {"Нет такого": "msk-1"},
            "taxes_template": "НДС 18%",
        },
    )

    result = connection_check(connection=connection)

    assert not result.ok
    assert "USD" in result.message and "RUB" in result.message
    assert "Нет такого" in result.message
    assert "НДС 18%" in result.message


def test_command_adds_connection_with_secrets_from_environment(shop, monkeypatch, settings):
    # given
    monkeypatch.setenv("ERP_SECRET", "s3cr3t")
    monkeypatch.setenv("ERP_HOOK_SECRET", "h00k")

    # when
    call_command(
        "integrations",
        "add",
        "erpnext",
        "--code",
        "erp",
        "--url",
        "https://erp.example.ru",
        "--set",
        "api_key=key-1",
        "--set",
        "company=ООО Магазин",
        "--set",
        'price_list_map={"Розница": "base"}',
        "--set",
        "warehouse_map.Москва - М=msk-1",
        "--set",
        "status_map.Completed=delivered",
        "--set",
        "delivery_days=5",
        "--set-env",
        "api_secret=ERP_SECRET",
        "--set-env",
        "webhook_secret=ERP_HOOK_SECRET",
    )

    # then: секреты зашифрованы, настройки проверены схемой
    connection = Connection.objects.get(code="erp")
    assert connection.system == "erpnext"
    assert connection.secrets_get() == {"api_secret": "s3cr3t", "webhook_secret": "h00k"}
    assert "s3cr3t" not in connection.secrets_encrypted
    options = options_get(connection)
    assert options["warehouse_map"] == {"Москва - М": "msk-1"}
    assert options["status_map"] == {"Completed": "delivered"}
    assert options["delivery_days"] == 5


def test_command_refuses_unknown_status_in_map(shop):
    with pytest.raises(CommandError):
        call_command("integrations", "add", "erpnext", "--code", "erp", "--set", "status_map.Completed=done")
