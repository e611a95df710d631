"""manage.py integrations: add, list, check, sync с журналом, retry; секреты только из окружения."""

import io

import pytest
from django.core.management import CommandError, call_command

from integrations.core.models import Connection, Delivery, DeliveryState, ExternalId, SyncRun, SyncState
from integrations.core.outbox import outbox_event_add
from integrations.core.registry import System, system_register, system_unregister
from integrations.core.sync import external_id_get, external_id_set
from tests.factories.integrations import ConnectionFactory

pytestmark = pytest.mark.django_db


class CatalogTestSystem(System):
    """Система для тестов синхронизации: три склада, один из них с ошибкой."""

    code = "sync-test"
    name = "Тестовая синхронизация"
    REMOTE = [("w-1", "msk"), ("w-2", "spb"), ("w-3", "")]

    def sync(self, *, connection, run, full, dry_run, progress):
        for done, (external, ours) in enumerate(self.REMOTE, start=1):
            if not ours:
                run.error_add(obj=f"склад {external}", message="нет кода склада")
            elif external_id_get(connection=connection, kind="warehouse", external_id=external) == ours:
                run.unchanged += 1
            else:
                if not dry_run:
                    external_id_set(connection=connection, kind="warehouse", external_id=external, object_id=ours)
                run.created += 1
            progress(done, len(self.REMOTE))


@pytest.fixture(autouse=True)
def sync_system():
    system_register(CatalogTestSystem)
    yield
    system_unregister(CatalogTestSystem.code)


def run(*args):
    out = io.StringIO()
    call_command("integrations", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_add_takes_secrets_from_the_environment_only(monkeypatch, httpserver):
    monkeypatch.setenv("HOOK_SIGNING_SECRET", "env-secret-value")
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")

    output = run(
        "add", "webhook", "--code", "shop-hook", "--url", httpserver.url_for("/hook"),
        "--set", "rate_limit=5/1", "--set-env", "signing_secret=HOOK_SIGNING_SECRET",
    )  # fmt: skip

    connection = Connection.objects.get(code="shop-hook")
    assert "создано" in output
    assert connection.secrets_get() == {"signing_secret": "env-secret-value"}
    assert connection.options == {"rate_limit": "5/1"}
    assert "env-secret-value" not in output
    assert "shop-hook" in run("list")
    assert "ответил 200" in run("check", "shop-hook")


def test_add_refuses_a_secret_given_in_clear_on_the_command_line():
    with pytest.raises(CommandError, match="секрет"):
        run("add", "webhook", "--code", "x-hook", "--set", "signing_secret=in-clear")

    assert not Connection.objects.exists()


def test_add_reports_options_that_break_the_schema():
    with pytest.raises(CommandError, match="options"):
        run("add", "webhook", "--code", "x-hook", "--set", "colour=red")


def test_check_fails_with_a_plain_message():
    ConnectionFactory(code="dead-hook", base_url="http://127.0.0.1:9/")

    with pytest.raises(CommandError, match="Нет соединения"):
        run("check", "dead-hook")


def test_sync_writes_the_journal_and_a_second_run_duplicates_nothing():
    connection = ConnectionFactory(system="sync-test", code="erp")

    first = run("sync", "erp")
    second = run("sync", "erp", "--full")

    runs = list(SyncRun.objects.filter(connection=connection).order_by("pk"))
    assert [(item.created, item.unchanged, item.failed) for item in runs] == [(2, 0, 1), (0, 2, 1)]
    assert all(item.state == SyncState.ERRORS and item.finished_at for item in runs)
    assert runs[0].errors == [{"object": "склад w-3", "message": "нет кода склада"}]
    assert runs[1].full
    assert ExternalId.objects.filter(connection=connection, kind="warehouse").count() == 2
    assert "создано 2" in first
    assert "склад w-3: нет кода склада" in second


def test_dry_run_sync_writes_no_mapping():
    ConnectionFactory(system="sync-test", code="erp")

    run("sync", "erp", "--dry-run")

    assert not ExternalId.objects.exists()
    assert SyncRun.objects.get().dry_run


def test_sync_of_a_system_without_sync_is_a_clear_error():
    ConnectionFactory(code="hook")

    with pytest.raises(CommandError, match="не умеет синхронизацию"):
        run("sync", "hook")
    assert SyncRun.objects.get().state == SyncState.FAILED


def test_retry_requeues_dead_deliveries_of_the_connection(django_capture_on_commit_callbacks):
    connection = ConnectionFactory(code="hook")
    event = outbox_event_add(kind="order.paid", object_type="order", object_id=1, payload={})
    Delivery.objects.filter(event=event).update(state=DeliveryState.DEAD, attempts=12)

    output = run("retry", "hook")

    assert "1" in output
    assert Delivery.objects.get(event=event, connection=connection).state == DeliveryState.PENDING


def test_list_says_clearly_that_the_key_is_missing(settings):
    ConnectionFactory(code="hook", secrets={"signing_secret": "secret-value"})
    settings.INTEGRATIONS_SECRET_KEY = ""
    err = io.StringIO()

    call_command("integrations", "list", stdout=io.StringIO(), stderr=err)

    assert "INTEGRATIONS_SECRET_KEY не задан" in err.getvalue()
