"""OAuth amoCRM: обмен кода, обновление до истечения и после 401, отзыв доступа, два воркера сразу."""

import time

import pytest

from integrations.amocrm.client import AmoApi
from integrations.amocrm.oauth import AuthBroken
from integrations.core.http import connection_client
from integrations.core.models import Connection, SyncRun, SyncState
from integrations.core.services import connection_check
from tests.commerce.orders.helpers import run_concurrently
from tests.integrations.amocrm.conftest import amo_connection_create, secrets_of


def api_for(connection):
    connection = Connection.objects.get(pk=connection.pk)
    return AmoApi(connection=connection, client=connection_client(connection, retries=0))


def connection_with_tokens(fake, httpserver, *, expires_in):
    """Подключение, у которого уже есть пара токенов (как после первого обмена кода)."""
    access, refresh = fake.token_issue(expires_in=expires_in)
    return amo_connection_create(
        fake,
        httpserver,
        secrets={
            "client_secret": fake.client_secret,
            "access_token": access,
            "refresh_token": refresh,
            "expires_at": str(time.time() + expires_in),
        },
    )


@pytest.mark.django_db
def test_authorization_code_is_exchanged_once_and_tokens_are_stored_encrypted(amo, fake, settings):
    settings.WAGTAILAPI_BASE_URL = "https://api.shop.example"

    # when
    result = connection_check(connection=amo)

    # then: токены получены по коду, код стёрт, в базе всё зашифровано
    assert result.ok, result.message
    assert result.message == (
        "Подключено к аккаунту «Мой магазин» (myshop). Адрес для вебхуков amoCRM: "
        f"https://api.shop.example/integrations/hooks/crm/{amo.webhook_token}/ "
        "В аккаунте включены товары (список 5541): задайте catalog_id, чтобы строки заказа "
        "приходили товарами сделки, а не только заметкой."
    )
    assert fake.grants == ["authorization_code"]
    secrets = secrets_of(amo)
    assert "code" not in secrets
    assert secrets["access_token"].startswith("access-")
    raw = Connection.objects.get(pk=amo.pk).secrets_encrypted
    assert secrets["access_token"] not in raw
    assert secrets["refresh_token"] not in raw

    # when: ещё запрос — токен действует, обмена больше нет
    api_for(amo).get("/api/v4/account")
    assert fake.grants == ["authorization_code"]


@pytest.mark.django_db
def test_token_close_to_expiry_is_refreshed_before_the_request(fake, httpserver, settings):
    settings.AMOCRM_TOKEN_REFRESH_MARGIN_SECONDS = 600
    connection = connection_with_tokens(fake, httpserver, expires_in=300)
    old_refresh = secrets_of(connection)["refresh_token"]

    account = api_for(connection).get("/api/v4/account")

    assert account["subdomain"] == "myshop"
    assert fake.grants == ["refresh_token"]
    secrets = secrets_of(connection)
    assert secrets["refresh_token"] != old_refresh
    assert float(secrets["expires_at"]) > time.time() + 3600
    # Запрос к API пошёл уже с новым токеном: 401 не было.
    assert fake.api_requests("GET", "/api/v4/account") == [("GET", "/api/v4/account")]


@pytest.mark.django_db
def test_401_refreshes_the_token_once_and_repeats_the_request(fake, httpserver):
    connection = connection_with_tokens(fake, httpserver, expires_in=86400)
    fake.tokens_expire()  # amoCRM считает токен недействительным раньше, чем мы

    account = api_for(connection).get("/api/v4/account")

    assert account["id"] == fake.account_id
    assert fake.grants == ["refresh_token"]
    assert fake.api_requests("GET", "/api/v4/account") == [("GET", "/api/v4/account")] * 2


@pytest.mark.django_db
def test_revoked_refresh_token_breaks_the_connection_with_a_clear_message_until_a_new_code(fake, httpserver):
    # given: интеграцию отключили в amoCRM — токены больше не действуют
    connection = connection_with_tokens(fake, httpserver, expires_in=86400)
    fake.revoke()

    # when
    with pytest.raises(AuthBroken) as broken:
        api_for(connection).get("/api/v4/account")

    # then: подключение «сломано» с понятным сообщением, на панели — прерванная запись журнала
    assert "amoCRM отозвал доступ" in str(broken.value)
    secrets = secrets_of(connection)
    assert "refresh_token" not in secrets
    assert "access_token" not in secrets
    notice = SyncRun.objects.get(connection=connection)
    assert notice.state == SyncState.FAILED
    assert notice.errors[0]["message"] == str(broken.value)
    check = connection_check(connection=Connection.objects.get(pk=connection.pk))
    assert not check.ok
    assert check.message.startswith("Нет доступа к amoCRM: вставьте код авторизации")
    # Сломанное подключение не стучится в amoCRM снова и снова.
    attempts = len(fake.requests)
    with pytest.raises(AuthBroken):
        api_for(connection).get("/api/v4/account")
    assert len(fake.requests) == attempts

    # when: администратор вставил новый код
    fake.codes.add("auth-code-2")
    fresh = Connection.objects.get(pk=connection.pk)
    fresh.secrets_update({"code": "auth-code-2"})
    fresh.save()

    # then: работает снова, на панели — успешная запись после прерванной
    assert api_for(connection).get("/api/v4/account")["subdomain"] == "myshop"
    assert "access_token" in secrets_of(connection)
    assert list(SyncRun.objects.filter(connection=connection).values_list("state", flat=True)) == [
        SyncState.OK,
        SyncState.FAILED,
    ]


@pytest.mark.django_db
def test_expired_authorization_code_is_reported_plainly(fake, httpserver):
    connection = amo_connection_create(
        fake, httpserver, secrets={"client_secret": fake.client_secret, "code": "expired-code"}
    )

    result = connection_check(connection=connection)

    assert not result.ok
    assert "amoCRM отклонил код авторизации (ответ 400)" in result.message
    assert "expired-code" not in result.message


@pytest.mark.django_db
def test_long_lived_token_is_used_as_bearer_without_oauth(fake, httpserver):
    fake.long_lived.add("long-lived-1")
    connection = amo_connection_create(fake, httpserver, secrets={"long_lived_token": "long-lived-1"})

    result = connection_check(connection=connection)

    assert result.ok, result.message
    assert fake.grants == []
    assert fake.api_requests(path="/oauth2/access_token") == []


@pytest.mark.postgres_only(reason="одновременные записи из потоков: SQLite в памяти блокирует таблицу целиком")
@pytest.mark.django_db(transaction=True)
def test_two_workers_refreshing_at_once_use_the_single_use_refresh_token_once(fake, httpserver):
    # given: токен истёк, сервер авторизации отвечает медленно — оба воркера успеют прийти
    connection = connection_with_tokens(fake, httpserver, expires_in=86400)
    fake.tokens_expire()
    fake.token_delay = 0.3

    # when: два воркера одновременно идут в API и оба получают 401
    results = run_concurrently([lambda: api_for(connection).get("/api/v4/account") for _ in range(2)])

    # then: токен обновлён один раз, оба запроса удались, подключение не сломано
    assert [result["subdomain"] for result in results] == ["myshop", "myshop"], results
    assert fake.grants == ["refresh_token"]
    assert fake.grant_failures == []
    assert "refresh_token" in secrets_of(connection)


def _account_in_child(connection_pk, results, barrier):
    from django.db import connections

    try:
        connection = Connection.objects.get(pk=connection_pk)
        barrier.wait(timeout=30)
        results.put(api_for(connection).get("/api/v4/account")["subdomain"])
    except Exception as error:  # noqa: BLE001 — ошибку дочернего процесса отдаём тесту
        results.put(repr(error))
    finally:
        connections.close_all()


@pytest.mark.postgres_only(reason="блокировка строки подключения между процессами — SELECT FOR UPDATE PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_refreshing_at_once_use_the_refresh_token_once(fake, httpserver):
    import multiprocessing

    from django.db import connections

    # given: токен истёк; блокировка процесса тут не поможет — воркеры в разных процессах
    connection = connection_with_tokens(fake, httpserver, expires_in=86400)
    fake.tokens_expire()
    fake.token_delay = 0.5
    connections.close_all()
    context = multiprocessing.get_context("fork")
    results, barrier = context.Queue(), context.Barrier(2)

    # when: оба процесса стартуют запрос одновременно
    workers = [context.Process(target=_account_in_child, args=(connection.pk, results, barrier)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)

    # then
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert sorted(results.get(timeout=5) for _ in workers) == ["myshop", "myshop"]
    assert fake.grants == ["refresh_token"]
    assert fake.grant_failures == []
