"""Общие помощники тестов корзины и заказов: тело оформления, корзина, запросы в потоках."""

import threading

from django.db import connection
from rest_framework.test import APIClient

from commerce.cart.models import Cart, CartLine

CHECKOUT = "/api/v1/checkout/"


def checkout_payload(**overrides):
    """Тело оформления: курьер по новому адресу, онлайн-оплата."""
    payload = {
        "contact": {"name": "Иван Петров", "phone": "+7 916 123-45-67", "email": "ivan@example.ru"},
        "delivery": {"method": "courier", "address": {"city": "Москва", "street": "Тверская", "house": "1"}},
        "payment_method": "online",
        "comment": "",
    }
    payload.update(overrides)
    return payload


def cart_create(*, region, lines, user=None):
    """Создать (у пользователя — найти) корзину и положить строки [(variant, quantity), ...] по порядку."""
    if user is not None:
        cart, _created = Cart.objects.get_or_create(user=user, defaults={"region": region})
    else:
        cart = Cart.objects.create(region=region)
    for variant, quantity in lines:
        CartLine.objects.create(cart=cart, variant=variant, quantity=quantity)
    return cart


def checkout_request(*, cart, payload=None, key=None, client=None):
    """Отправить оформление анонимной корзины (по токену) и вернуть ответ."""
    client = client or APIClient()
    headers = {"HTTP_X_CART_TOKEN": cart.token, "HTTP_X_REGION": cart.region.code}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(CHECKOUT, payload or checkout_payload(), format="json", **headers)


def run_concurrently(functions, *, timeout=60):
    """Запустить функции одновременно (барьер) в потоках со своими соединениями с базой.

    Returns:
        list результатов в порядке функций; исключение потока кладётся на место результата.
    """
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait(timeout=timeout)
            results[index] = function()
        except BaseException as error:  # noqa: BLE001 — исключение потока — тоже результат теста
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index, fn)) for index, fn in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "поток не завершился: зависание или взаимная блокировка"
    return results
