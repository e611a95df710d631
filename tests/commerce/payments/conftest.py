"""Фикстуры платежей: поддельная ЮKassa на 127.0.0.1 и настроенный на неё провайдер."""

import pytest

from tests.commerce.payments.fake_yookassa import FakeYooKassa

# Адрес из опубликованных сетей ЮKassa (185.71.76.0/27) и чужой адрес.
YOOKASSA_IP = "185.71.76.10"
FOREIGN_IP = "203.0.113.7"


@pytest.fixture
def fake_yookassa(httpserver, settings):
    """Поддельная ЮKassa; настройки YOOKASSA_* указывают на неё."""
    fake = FakeYooKassa(httpserver)
    settings.YOOKASSA_API_URL = fake.base_url
    settings.YOOKASSA_SHOP_ID = fake.shop_id
    settings.YOOKASSA_SECRET_KEY = fake.secret_key
    settings.YOOKASSA_TIMEOUT = 1.0
    return fake


@pytest.fixture
def yookassa_provider(fake_yookassa):
    from commerce.payments.providers.yookassa import YooKassaProvider

    return YooKassaProvider()
