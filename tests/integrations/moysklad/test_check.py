"""«Проверить соединение» МоегоСклада: юрлицо, регистрация вебхуков один раз, команда integrations."""

import pytest
from django.core.management import call_command

from integrations.core.models import Connection
from integrations.core.services import connection_check
from integrations.moysklad.system import WEBHOOKS

pytestmark = pytest.mark.django_db


def test_check_registers_entity_and_stock_webhooks_once(ms, fake):
    # when: проверка дважды
    first = connection_check(connection=ms)
    second = connection_check(connection=ms)

    # then: вебхуки на каталог (CREATE/UPDATE/DELETE), на статус заказа и на остатки — по одному
    assert first.ok and second.ok, (first.message, second.message)
    hooks = {(row["entityType"], row["action"]) for row in fake.entities["webhook"].values()}
    assert hooks == set(WEBHOOKS)
    assert len(fake.entities["webhook"]) == len(WEBHOOKS)
    (stock_hook,) = fake.entities["webhookstock"].values()
    assert stock_hook["reportType"] == "bystore"
    assert f"/integrations/hooks/ms/{ms.webhook_token}/" in stock_hook["url"]
    assert "ООО Ромашка" in first.message


def test_check_reports_an_unknown_organization(shop, fake):
    from tests.integrations.moysklad.conftest import ms_connection_create

    connection = ms_connection_create(fake, options={"organization": "00000000-0000-0000-0000-000000000999"})

    result = connection_check(connection=connection)

    assert result.ok is False
    assert "organization" in result.message


def test_command_line_adds_and_syncs_a_connection(shop, fake, monkeypatch, capsys):
    # given: токен — из переменной окружения, сопоставления — флагами --set
    monkeypatch.setenv("MOYSKLAD_TOKEN", "ms-token-1")
    fake.product_add("Кружка", article="MUG-1", prices={fake.retail: 49900})

    # when
    call_command(
        "integrations",
        "add",
        "moysklad",
        "--code",
        "ms2",
        "--url",
        fake.base,
        "--set-env",
        "token=MOYSKLAD_TOKEN",
        "--set",
        f"organization={fake.organization}",
        "--set",
        "price_types.Цена продажи=base",
        "--set",
        "reserve=false",
    )
    call_command("integrations", "sync", "ms2", "--full")

    # then
    connection = Connection.objects.get(code="ms2")
    assert connection.secrets_get() == {"token": "ms-token-1"}
    assert connection.options["price_types.Цена продажи"] == "base"
    out = capsys.readouterr().out
    assert "Итог: успешно; создано 3" in out, out  # категория «Без категории», товар и его цена


def test_scheduled_sync_runs_each_enabled_connection_and_skips_a_busy_one(ms, fake, settings):
    from django.core.cache import cache

    from integrations.core.models import SyncRun
    from integrations.moysklad.tasks import moysklad_sync

    fake.product_add("Кружка", article="MUG-1", prices={fake.retail: 49900})
    moysklad_sync.delay(full=True)
    assert SyncRun.objects.filter(connection=ms, full=True).count() == 1

    cache.add(f"integrations:moysklad:sync:{ms.pk}", 1, timeout=60)
    try:
        moysklad_sync.delay(full=False)
    finally:
        cache.delete(f"integrations:moysklad:sync:{ms.pk}")
    assert SyncRun.objects.filter(connection=ms).count() == 1
