"""Фикстуры платежей: поддельная ЮKassa на 127.0.0.1, включённый в регионе провайдер, заказ."""

from decimal import Decimal

import pytest

from commerce.payments.models import RegionPaymentProvider
from tests.commerce.fixtures import _eager_tasks, sms_outbox  # noqa: F401 — регистрация фикстур
from tests.commerce.payments.fake_yookassa import FakeYooKassa
from tests.factories.accounts import UserFactory
from tests.factories.orders import OrderFactory, OrderLineFactory
from tests.factories.regions import RegionFactory

# Адрес из опубликованных сетей ЮKassa (185.71.76.0/27) и чужой адрес.
YOOKASSA_IP = "185.71.76.10"
FOREIGN_IP = "203.0.113.7"
RETURN_URL = "https://shop.example.ru/checkout/done"


@pytest.fixture
def fake_yookassa(httpserver, settings):
    """Поддельная ЮKassa; настройки YOOKASSA_* указывают на неё, провайдер включён."""
    fake = FakeYooKassa(httpserver)
    settings.YOOKASSA_API_URL = fake.base_url
    settings.YOOKASSA_SHOP_ID = fake.shop_id
    settings.YOOKASSA_SECRET_KEY = fake.secret_key
    settings.YOOKASSA_TIMEOUT = 1.0
    settings.PAYMENTS_PROVIDERS = {
        **settings.PAYMENTS_PROVIDERS,
        "yookassa": "commerce.payments.providers.yookassa.YooKassaProvider",
    }
    return fake


@pytest.fixture
def yookassa_provider(fake_yookassa):
    from commerce.payments.providers.yookassa import YooKassaProvider

    return YooKassaProvider()


@pytest.fixture
def region(db):
    region = RegionFactory(code="msk", name="Москва")
    for order, code in enumerate(["yookassa", "test", "cash_on_delivery"]):
        RegionPaymentProvider.objects.create(region=region, provider=code, sort_order=order)
    return region


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def order(region, customer):
    """Заказ покупателя на 1300 ₽: 2 × 500 ₽ товара и 300 ₽ доставки, ждёт оплаты онлайн."""
    order = OrderFactory(region=region, user=customer, total=Decimal("1300.00"))
    OrderLineFactory(order=order, unit_price=Decimal("500.00"), quantity=2, line_total=Decimal("1000.00"))
    return order


@pytest.fixture
def customer_client(api_client, customer):
    api_client.force_authenticate(customer)
    return api_client
