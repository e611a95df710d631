"""Фикстуры коннектора МоегоСклада: фейковый аккаунт на 127.0.0.1, магазин и подключение к нему."""

import pytest

from tests.commerce.fixtures import _eager_tasks, shop, sms_outbox  # noqa: F401 — регистрация фикстур
from tests.factories.integrations import ConnectionFactory
from tests.integrations.helpers import retries_fast
from tests.integrations.moysklad.fake_moysklad import TOKEN
from tests.integrations.moysklad.helpers import fake_serve


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    retries_fast(settings, http_backoff_cap=5.0)


@pytest.fixture
def fake(httpserver):
    """Фейковый МойСклад на пути API /api/remap/1.2 сервера теста; ссылки — на этот же сервер."""
    return fake_serve(httpserver)


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
def ms(request, fake, root_collection):
    """Подключение МоегоСклада к фейку (магазин с регионами, прайс-листами и складами уже есть)."""
    request.getfixturevalue("shop")
    return ms_connection_create(fake)
