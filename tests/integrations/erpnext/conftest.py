"""Фикстуры коннектора ERPNext: фейковый сайт Frappe на 127.0.0.1 и подключение к нему."""

import re

import pytest

from tests.commerce.fixtures import _eager_tasks, shop, sms_outbox  # noqa: F401 — регистрация фикстур
from tests.factories.integrations import ConnectionFactory
from tests.integrations.erpnext.fake_frappe import FakeFrappe, png_bytes
from tests.integrations.helpers import retries_fast

WEBHOOK_SECRET = "hook-secret-Ключ"
OPTIONS = {
    "api_key": "erp-key",
    "company": "ООО Магазин",
    "taxes_template": "НДС 20% - М",
    "customer_group": "Физические лица",
    "territory": "Россия",
    "price_list_map": {"Розница": "base"},
    "warehouse_map": {"Москва - М": "msk-1"},
    "status_map": {
        "To Deliver and Bill": "assembling",
        "Completed": "delivered",
        "Cancelled": "cancelled",
        "Delivery Note:To Bill": "shipped",
    },
    "page_size": 2,
}


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    retries_fast(settings, http_backoff_cap=0.2)


@pytest.fixture
def fake(httpserver):
    """Фейковый ERPNext: отвечает на все пути сервера."""
    site = FakeFrappe()
    httpserver.expect_request(re.compile(".*")).respond_with_handler(site)
    return site


def erp_connection_create(fake, httpserver, *, options=None, secrets=None, code="erp"):
    return ConnectionFactory(
        system="erpnext",
        code=code,
        base_url=httpserver.url_for("/"),
        options={**OPTIONS, **(options or {})},
        secrets=secrets or {"api_secret": fake.api_secret, "webhook_secret": WEBHOOK_SECRET},
    )


@pytest.fixture
def erp(shop, fake, httpserver, root_collection):  # noqa: F811 — фикстура shop из tests.commerce.fixtures
    """Подключение ERPNext к фейку (магазин с регионами, прайс-листами и складами уже есть)."""
    return erp_connection_create(fake, httpserver)


def catalog_seed(fake):
    """Каталог ERPNext: «Обувь › Кеды» — шаблон с двумя размерами, «Аксессуары» — чехол с картинкой."""
    fake.group_add("Обувь")
    fake.group_add("Кеды", parent="Обувь")
    fake.group_add("Аксессуары")
    fake.item_add("SH-100", name="Кеды белые", group="Кеды", has_variants=1, description="<p>Кеды из канвы</p>")
    fake.item_add(
        "SH-100-38",
        name="Кеды белые, 38",
        group="Кеды",
        variant_of="SH-100",
        attributes=[("Размер", "38"), ("Цвет", "Белый")],
        barcodes=["4600000000015"],
    )
    fake.item_add(
        "SH-100-39",
        name="Кеды белые, 39",
        group="Кеды",
        variant_of="SH-100",
        attributes=[("Размер", "39"), ("Цвет", "Белый")],
    )
    fake.images["/files/case.png"] = png_bytes()
    fake.item_add("CASE-1", name="Чехол", group="Аксессуары", image="/files/case.png", barcodes=["4600000000008"])
    fake.price_add("SH-100-38", 4990)
    fake.price_add("SH-100-39", 5190.5)
    fake.price_add("CASE-1", 990)
    fake.bin_set("SH-100-38", "Москва - М", actual=10, reserved=2)
    fake.bin_set("SH-100-39", "Москва - М", actual=3)
    fake.bin_set("CASE-1", "Москва - М", actual=7)
    # Склад, который магазину не сопоставлен: его остатки не загружаются.
    fake.bin_set("CASE-1", "Склад брака - М", actual=100)
