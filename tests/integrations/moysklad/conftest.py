"""Фикстуры коннектора МоегоСклада: фейковый аккаунт на 127.0.0.1, магазин и подключение к нему."""

import re

import pytest

from tests.commerce.fixtures import _eager_tasks, shop, sms_outbox  # noqa: F401 — регистрация фикстур
from tests.factories.integrations import ConnectionFactory
from tests.integrations.core.conftest import _secret_key  # noqa: F401 — ключ шифрования секретов
from tests.integrations.moysklad.fake_moysklad import TOKEN, FakeMoysklad


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    settings.INTEGRATIONS_RETRY_BASE_SECONDS = 0.2
    settings.INTEGRATIONS_RETRY_CAP_SECONDS = 1.0
    settings.INTEGRATIONS_HTTP_BACKOFF_BASE = 0.05
    settings.INTEGRATIONS_HTTP_BACKOFF_CAP = 5.0


@pytest.fixture
def fake(httpserver):
    """Фейковый МойСклад: отвечает на все пути сервера, ссылки — на этот же сервер."""
    account = FakeMoysklad(base=httpserver.url_for("/api/remap/1.2"))
    httpserver.expect_request(re.compile(".*")).respond_with_handler(account)
    return account


def ms_connection_create(fake, *, options=None, token=TOKEN, code="ms"):
    """Подключение МоегоСклада к фейку с сопоставлением типов цен, складов и статусов."""
    return ConnectionFactory(
        system="moysklad",
        code=code,
        base_url=fake.base,
        options={
            "organization": fake.organization,
            "store": fake.store_main,
            "price_types": {"Цена продажи": "base"},
            "stores": {fake.store_main: "msk-1", "Склад СПб": "spb-1"},
            "status_map": {
                fake.state_id("Подтвержден"): "assembling",
                fake.state_id("Отгружен"): "shipped",
                fake.state_id("Отменен"): "cancelled",
                "Собран": "paid",
            },
            **(options or {}),
        },
        secrets={"token": token},
    )


@pytest.fixture
def root_collection(db):
    """Корневая коллекция Wagtail для картинок (её создаёт миграция; транзакционные тесты очищают таблицы)."""
    from wagtail.models import Collection

    return Collection.get_first_root_node() or Collection.add_root(name="Root")


@pytest.fixture
def ms(request, fake, root_collection):
    """Подключение МоегоСклада к фейку (магазин с регионами, прайс-листами и складами уже есть)."""
    request.getfixturevalue("shop")
    return ms_connection_create(fake)
