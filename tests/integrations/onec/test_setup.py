"""Настройка узла обмена: команда integrations add, проверка подключения, демо-узел seed_demo."""

import io

import pytest
from django.core.management import call_command

from integrations.core.models import Connection
from integrations.core.services import connection_check
from integrations.onec.demo import seed_onec_connection

pytestmark = pytest.mark.django_db


def test_command_adds_connection_with_mappings_and_secret_from_env(monkeypatch):
    monkeypatch.setenv("ONEC_PASSWORD", "from-env")
    out = io.StringIO()

    call_command(
        "integrations",
        "add",
        "onec",
        "--code",
        "1c",
        "--set",
        "username=exchange",
        "--set-env",
        "password=ONEC_PASSWORD",
        "--set",
        'price_types={"price-retail": "base"}',
        "--set",
        "deactivate_missing=true",
        stdout=out,
    )

    connection = Connection.objects.get(code="1c")
    assert connection.options == {
        "username": "exchange",
        "price_types": {"price-retail": "base"},
        "deactivate_missing": True,
    }
    assert connection.secrets_get() == {"password": "from-env"}
    assert "from-env" not in out.getvalue()
    result = connection_check(connection=connection)
    assert result.ok and "ещё не обращалась" in result.message


def test_check_reports_missing_password():
    from integrations.core.services import connection_create

    connection = connection_create(system="onec", code="1c", options={"username": "exchange"})

    result = connection_check(connection=connection)

    assert not result.ok and "пароль" in result.message


def test_options_are_validated_by_schema():
    from django.core.exceptions import ValidationError

    from integrations.core.services import connection_create

    with pytest.raises(ValidationError):
        connection_create(system="onec", code="1c", options={"username": "u", "encoding": "koi8-r"})


def test_seed_demo_creates_demo_node_once():
    out = io.StringIO()

    seed_onec_connection(stdout=out)
    seed_onec_connection(stdout=out)

    connection = Connection.objects.get(code="1c-demo")
    assert connection.options["username"] == "1c"
    assert connection.secrets_get()["password"] == "1c-demo"
    assert "пароль 1c-demo" in out.getvalue()


def test_seed_demo_skips_in_production(settings):
    settings.IS_PRODUCTION = True

    seed_onec_connection(stdout=io.StringIO())

    assert not Connection.objects.exists()
