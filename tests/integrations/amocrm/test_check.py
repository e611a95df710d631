"""«Проверить соединение» и добавление из командной строки: понятные ответы на русском."""

import pytest
from django.core.management import call_command

from integrations.core.models import Connection
from integrations.core.services import connection_check
from tests.integrations.amocrm.conftest import amo_connection_create
from tests.integrations.amocrm.fake_amocrm import PIPELINE_ID


@pytest.mark.django_db
def test_unknown_pipeline_is_reported(fake, httpserver):
    connection = amo_connection_create(fake, httpserver, options={"pipeline_id": 1})

    result = connection_check(connection=connection)

    assert (result.ok, result.message) == (False, "Воронки 1 нет в аккаунте: проверьте pipeline_id.")


@pytest.mark.django_db
def test_stage_missing_from_the_pipeline_is_named(fake, httpserver):
    connection = amo_connection_create(fake, httpserver, options={"stage_map": {"shipped": 42}})

    result = connection_check(connection=connection)

    assert not result.ok
    assert result.message == "В воронке «Интернет-магазин» нет этапов: stage_map.shipped = 42."


@pytest.mark.django_db
def test_token_of_another_account_is_reported(fake, httpserver):
    connection = amo_connection_create(fake, httpserver, options={"subdomain": "othershop"})

    result = connection_check(connection=connection)

    assert result.message == "Токен от другого аккаунта: «myshop», а в подключении — «othershop»."


@pytest.mark.django_db
def test_no_network_is_reported_plainly(fake, httpserver):
    connection = amo_connection_create(fake, httpserver)
    Connection.objects.filter(pk=connection.pk).update(base_url="http://127.0.0.1:9/")

    result = connection_check(connection=Connection.objects.get(pk=connection.pk))

    assert (result.ok, result.message) == (False, "Нет соединения с системой: неверный адрес или нет сети.")


@pytest.mark.django_db
def test_command_line_add_with_flat_stage_and_field_keys(fake, httpserver, monkeypatch, capsys):
    # given: секреты — из окружения, не в командной строке
    monkeypatch.setenv("AMO_SECRET", fake.client_secret)
    monkeypatch.setenv("AMO_CODE", "auth-code-1")

    # when
    call_command(
        "integrations",
        "add",
        "amocrm",
        "--code",
        "crm",
        "--url",
        httpserver.url_for("/"),
        "--set",
        "client_id=amo-client",
        "--set",
        "redirect_uri=https://shop.example/amocrm/",
        "--set",
        "subdomain=myshop",
        "--set",
        f"pipeline_id={PIPELINE_ID}",
        "--set",
        "stage_map.new=7039101",
        "--set",
        "field_map.order_number=501",
        "--set-env",
        "client_secret=AMO_SECRET",
        "--set-env",
        "code=AMO_CODE",
    )
    call_command("integrations", "check", "crm")

    # then
    out = capsys.readouterr().out
    assert "Подключение crm создано." in out
    assert "Подключено к аккаунту «Мой магазин» (myshop)." in out
    assert fake.grants == ["authorization_code"]


@pytest.mark.django_db
def test_options_outside_the_schema_are_refused(fake, httpserver):
    from django.core.exceptions import ValidationError

    from integrations.core.services import connection_create

    with pytest.raises(ValidationError) as error:
        connection_create(system="amocrm", code="bad", options={"stage_map": {"teleported": 1}, "pipeline": 2})

    assert "options" in error.value.message_dict
