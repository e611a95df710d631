"""Злоупотребления оформлением (issue 20): двойная отправка, накопление резервов, частота, телефон.

Всё — через настоящий API: гонки в настоящих потоках со своими соединениями с PostgreSQL,
потолки частоты в настоящем Redis, истечение резерва — задачей beat на настоящем воркере Celery.
"""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from commerce.inventory.models import Stock
from commerce.orders import services, tasks
from commerce.orders.models import Order, PaymentMethod, ReservationState
from commerce.orders.status import OrderStatus
from tests.commerce import fixtures as commerce_fixtures
from tests.commerce.orders.helpers import CHECKOUT, cart_create, checkout_payload, checkout_request, run_concurrently

# Фикстуры магазина, задач Celery и SMS — общие с тестами корзины и заказов.
_eager_tasks = commerce_fixtures._eager_tasks
sms_outbox = commerce_fixtures.sms_outbox
shop = commerce_fixtures.shop

ATTEMPTS = 10
COD = PaymentMethod.CASH_ON_DELIVERY


@pytest.fixture(autouse=True)
def _quiet(settings):
    settings.ORDERS_NOTIFY_EMAIL = False
    settings.ORDERS_NOTIFY_SMS = False


def reserved(variant, warehouse):
    return Stock.objects.get(variant=variant, warehouse=warehouse).reserved


# --- Двойная отправка ---------------------------------------------------------------------------


@pytest.mark.postgres_only(reason="гонка потоков за блокировку строки корзины (SELECT … FOR UPDATE)")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("keys", ["none", "distinct"], ids=["without_keys", "with_distinct_keys"])
def test_ten_concurrent_checkouts_of_one_cart_create_one_order_whatever_their_keys(shop, settings, keys):
    # given: одна корзина на 2 штуки, товара хватило бы на все десять заказов
    settings.ORDERS_CHECKOUT_RATE_IP = settings.ORDERS_CHECKOUT_RATE_PHONE = "1000/hour"
    variant = shop.variant("DOUBLE-1", price="1000", stock=100)
    cart = cart_create(region=shop.msk, lines=[(variant, 2)])
    payload = checkout_payload()
    requests = [
        lambda index=index: checkout_request(
            cart=cart, payload=payload, key=None if keys == "none" else f"double-click-{index:04d}"
        )
        for index in range(ATTEMPTS)
    ]
    # when: десять оформлений одной корзины одновременно (двойной клик, повторы витрины)
    responses = run_concurrently(requests)
    # then: один заказ, остальные — чистый 409 cart_empty, товар зарезервирован один раз
    assert not [response for response in responses if isinstance(response, BaseException)]
    assert Counter(response.status_code for response in responses) == {201: 1, 409: ATTEMPTS - 1}
    codes = {response.json()["error"]["code"] for response in responses if response.status_code == 409}
    assert codes == {"cart_empty"}
    assert Order.objects.filter(lines__variant=variant).count() == 1
    assert reserved(variant, shop.msk_warehouse) == 2


# --- Потолки частоты ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_checkout_is_throttled_per_client_ip_with_retry_after(shop, settings):
    # given: потолок 3 оформления в час с одного IP, у каждого — свой телефон и своя корзина
    settings.ORDERS_CHECKOUT_RATE_IP = "3/hour"
    settings.ORDERS_CHECKOUT_RATE_PHONE = "1000/hour"
    carts = [cart_create(region=shop.msk, lines=[(shop.shirt, 1)]) for _attempt in range(4)]
    phones = ["+79161110001", "+79161110002", "+79161110003", "+79161110004"]
    client = APIClient(REMOTE_ADDR="203.0.113.10")

    def attempt(cart, phone):
        payload = checkout_payload(contact={"name": "Гость", "phone": phone, "email": ""}, payment_method=COD)
        return checkout_request(cart=cart, payload=payload, client=client)

    # when
    responses = [attempt(cart, phone) for cart, phone in zip(carts, phones, strict=True)]
    # then: четвёртое оформление отклонено до всякой работы с корзиной и складом
    assert [response.status_code for response in responses] == [201, 201, 201, 429]
    refused = responses[-1]
    assert refused.json()["error"]["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert refused.json()["error"]["retry_after"] == int(refused["Retry-After"])
    assert carts[-1].lines.count() == 1
    assert reserved(shop.shirt, shop.msk_warehouse) == 3
    # а с другого адреса оформить можно
    other = checkout_request(cart=carts[-1], client=APIClient(REMOTE_ADDR="203.0.113.11"))
    assert other.status_code == 201, other.json()


@pytest.mark.django_db
def test_checkout_is_throttled_per_contact_phone_whatever_its_spelling(shop, settings):
    # given: потолок 2 оформления в час на телефон; запросы идут с разных IP
    settings.ORDERS_CHECKOUT_RATE_IP = "1000/hour"
    settings.ORDERS_CHECKOUT_RATE_PHONE = "2/hour"
    spellings = ["+7 916 123-45-67", "8 (916) 123-45-67", "79161234567"]
    responses = []
    for index, phone in enumerate(spellings):
        cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
        payload = checkout_payload(contact={"name": "Гость", "phone": phone, "email": ""}, payment_method=COD)
        client = APIClient(REMOTE_ADDR=f"198.51.100.{index + 1}")
        responses.append(checkout_request(cart=cart, payload=payload, client=client))
    # then: третий заказ на тот же номер — 429, хотя номер записан иначе и IP другой
    assert [response.status_code for response in responses] == [201, 201, 429]
    assert responses[-1].json()["error"]["code"] == "throttled"
    assert int(responses[-1]["Retry-After"]) > 0
    assert reserved(shop.shirt, shop.msk_warehouse) == 2


# --- Срок резерва оплаты при получении ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_unconfirmed_cash_on_delivery_reservation_is_released_by_the_beat_task_on_a_real_worker(
    shop, settings, celery_worker
):
    # given: два заказа с оплатой при получении, оформленные 25 часов назад (срок — 24 часа);
    # второй менеджер подтвердил — перевёл в «собирается»
    settings.ORDERS_COD_RESERVATION_HOURS = 24
    placed_at = timezone.now() - timedelta(hours=25)

    def place(quantity):
        cart = cart_create(region=shop.msk, lines=[(shop.phone, quantity)])
        return services.OrderPlacer(
            cart=cart,
            user=None,
            contact=services.Contact(name="Гость", phone="+79161234567"),
            delivery=services.Delivery(
                method="courier", address={"city": "Москва", "street": "Тверская", "house": "1"}
            ),
            payment_method=COD,
            now=placed_at,
        ).run()

    hoarded = place(3)
    confirmed = place(1)
    services.order_status_change(order=confirmed, to_status=OrderStatus.ASSEMBLING)
    assert reserved(shop.phone, shop.msk_warehouse) == 4
    # when: задача beat уходит через Redis настоящему воркеру
    result = tasks.orders_reservations_expire.delay()
    # then: неподтверждённый заказ отменён и товар вернулся в продажу, подтверждённый — нетронут
    assert result.get(timeout=30) == 1
    hoarded.refresh_from_db()
    confirmed.refresh_from_db()
    assert hoarded.status == OrderStatus.CANCELLED
    assert list(hoarded.reservations.values_list("state", flat=True)) == [ReservationState.RELEASED]
    assert hoarded.history.last().comment == "Резерв истёк: заказ с оплатой при получении не подтверждён."
    assert confirmed.status == OrderStatus.ASSEMBLING
    assert reserved(shop.phone, shop.msk_warehouse) == 1


# --- Подтверждённый телефон для оплаты при получении --------------------------------------------


def phone_login(client, phone, outbox):
    """Войти по коду из SMS, как витрина: запросить код, прочитать SMS, подтвердить."""
    assert client.post("/api/v1/auth/phone/request-code/", {"phone": phone}, format="json").status_code == 202
    code = re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)
    response = client.post("/api/v1/auth/phone/confirm/", {"phone": phone, "code": code}, format="json")
    assert response.status_code == 200, response.json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")


def user_checkout(client, *, phone, payment_method=COD):
    payload = checkout_payload(
        contact={"name": "Покупатель", "phone": phone, "email": ""}, payment_method=payment_method
    )
    return client.post(CHECKOUT, payload, format="json", HTTP_X_REGION="msk")


@pytest.mark.django_db
def test_cash_on_delivery_requires_the_contact_phone_confirmed_by_sms_when_enabled(shop, settings, sms_outbox):
    # given: настройка включена
    settings.ORDERS_COD_REQUIRE_CONFIRMED_PHONE = True
    phone = "+79161234567"
    # when: гость заказывает с оплатой при получении
    guest_cart = cart_create(region=shop.msk, lines=[(shop.laptop, 5)])
    guest = checkout_request(
        cart=guest_cart,
        payload=checkout_payload(contact={"name": "Гость", "phone": phone, "email": ""}, payment_method=COD),
    )
    # then: ясный отказ, резерва нет, корзина цела
    assert guest.status_code == 403
    assert guest.json()["error"]["code"] == "phone_not_confirmed"
    assert "SMS" in guest.json()["error"]["message"]
    assert reserved(shop.laptop, shop.msk_warehouse) == 0
    assert guest_cart.lines.count() == 1
    # онлайн-оплата гостю по-прежнему доступна
    assert checkout_request(cart=guest_cart).status_code == 201

    # when: покупатель вошёл по коду из SMS, но в заказе указан чужой номер
    client = APIClient()
    phone_login(client, phone, sms_outbox)
    user = User.objects.get(phone=phone)
    cart_create(region=shop.msk, lines=[(shop.shirt, 1)], user=user)
    foreign = user_checkout(client, phone="+79260000000")
    # then
    assert foreign.status_code == 403
    assert foreign.json()["error"]["code"] == "phone_not_confirmed"

    # when: свой подтверждённый номер (записанный иначе)
    own = user_checkout(client, phone="8 916 123-45-67")
    # then
    assert own.status_code == 201, own.json()
    assert own.json()["payment_method"] == COD


@pytest.mark.django_db
def test_cash_on_delivery_stays_open_to_guests_when_confirmation_is_not_required(shop, settings):
    settings.ORDERS_COD_REQUIRE_CONFIRMED_PHONE = False
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    response = checkout_request(cart=cart, payload=checkout_payload(payment_method=COD))
    assert response.status_code == 201, response.json()
