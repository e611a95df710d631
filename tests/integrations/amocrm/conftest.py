"""Фикстуры коннектора amoCRM: фейковый аккаунт на 127.0.0.1 и подключение к нему."""

import re

import pytest

from integrations.core.models import Connection
from tests.commerce.fixtures import _eager_tasks, shop, sms_outbox  # noqa: F401 — регистрация фикстур
from tests.factories.integrations import ConnectionFactory
from tests.integrations.amocrm.fake_amocrm import (
    PIPELINE_ID,
    STAGE_ASSEMBLING,
    STAGE_LOST,
    STAGE_NEW,
    STAGE_PAID,
    FakeAmo,
)
from tests.integrations.helpers import retries_fast

FIELD_MAP = {"order_number": 501, "region": 502, "delivery_method": 503, "payment_status": 504, "admin_url": 505}
OPTIONS = {
    "client_id": "amo-client",
    "redirect_uri": "https://shop.example/amocrm/",
    "subdomain": "myshop",
    "pipeline_id": PIPELINE_ID,
    "stage_map": {
        "new": STAGE_NEW,
        "paid": STAGE_PAID,
        "assembling": STAGE_ASSEMBLING,
        "cancelled": STAGE_LOST,
    },
    "field_map": FIELD_MAP,
}


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    retries_fast(settings, http_backoff_cap=1.0)


@pytest.fixture
def fake(httpserver):
    """Фейковый аккаунт amoCRM: отвечает на все пути сервера."""
    account = FakeAmo()
    httpserver.expect_request(re.compile(".*")).respond_with_handler(account)
    return account


def amo_connection_create(fake, httpserver, *, secrets=None, options=None, code="crm"):
    """Подключение amoCRM к фейку: по коду авторизации (или своим секретам)."""
    return ConnectionFactory(
        system="amocrm",
        code=code,
        base_url=httpserver.url_for("/"),
        options={**OPTIONS, **(options or {})},
        secrets=secrets or {"client_secret": fake.client_secret, "code": "auth-code-1"},
    )


@pytest.fixture
def amo(db, fake, httpserver):
    """Подключение amoCRM с кодом авторизации (токены получит первым запросом)."""
    return amo_connection_create(fake, httpserver)


def secrets_of(connection):
    """Текущие секреты подключения из базы."""
    return Connection.objects.get(pk=connection.pk).secrets_get()
