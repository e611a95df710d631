"""Фикстуры обмена с 1С: ключ секретов, папка обмена, магазин, подключение узла 1С, фейковая 1С."""

import io
import zipfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.commerce.fixtures import _eager_tasks, shop, sms_outbox  # noqa: F401 — регистрация фикстур
from tests.integrations.onec.fake_onec import FakeOnec

DATA = Path(__file__).parent / "data"
USERNAME = "1c-exchange"
PASSWORD = "s3cret-пароль"


@pytest.fixture(autouse=True)
def _onec_settings(settings, tmp_path):
    """Ключ шифрования секретов и своя папка файлов обмена на время теста."""
    settings.INTEGRATIONS_SECRET_KEY = Fernet.generate_key().decode()
    settings.ONEC_EXCHANGE_ROOT = str(tmp_path / "exchange")
    settings.ONEC_FILE_LIMIT = 64 * 1024


@pytest.fixture
def root_collection(db):
    """Корневая коллекция Wagtail (её создаёт миграция; транзакционные тесты очищают таблицы)."""
    from wagtail.models import Collection

    return Collection.get_first_root_node() or Collection.add_root(name="Root")


@pytest.fixture
def onec_connection(shop, root_collection):  # noqa: F811 — фикстура shop из tests.commerce.fixtures
    """Подключение 1С: типы цен и склады сопоставлены прайс-листам и складам магазина."""
    from integrations.core.services import connection_create

    return connection_create(
        system="onec",
        code="1c",
        options={
            "username": USERNAME,
            "price_types": {"price-retail": "base", "Московская": "msk"},
            "warehouses": {"wh-msk": "msk-1", "wh-spb": "spb-1"},
            "statuses": {"[F] Отгружен": "shipped"},
        },
        secrets={"password": PASSWORD},
    )


@pytest.fixture
def fake_onec(live_server, onec_connection):
    """Фейковая 1С — HTTP-клиент, который ходит на живой тестовый сервер так же, как 1С."""
    return FakeOnec(base_url=live_server.url, username=USERNAME, password=PASSWORD)


def png_bytes(color=(200, 30, 30)):
    """Маленькая настоящая картинка PNG."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buffer, format="PNG")
    return buffer.getvalue()


def data(name):
    return (DATA / name).read_bytes()


def catalog_zip(*, files=None, extra=()):
    """Архив выгрузки 1С: import.xml, offers.xml и картинка import_files/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, content in (files or {"import.xml": data("import.xml"), "offers.xml": data("offers.xml")}).items():
            bundle.writestr(name, content)
        bundle.writestr("import_files/p1/p-100.png", png_bytes())
        for name, content in extra:
            bundle.writestr(name, content)
    return buffer.getvalue()
