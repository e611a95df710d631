"""Общие помощники тестов корзины и заказов: тело оформления, корзина, запросы в потоках."""

import threading
from decimal import Decimal

from django.db import connection
from rest_framework.test import APIClient

from commerce.cart.models import Cart, CartLine
from commerce.catalog.models import Category, Product, Variant
from commerce.inventory.models import Stock, Warehouse
from commerce.payments.models import RegionPaymentProvider
from commerce.pricing.models import PriceList, VariantPrice
from regions.models import Region

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


class Shop:
    """Маленький магазин для тестов корзины и заказов (без тяжёлых хуков каталога)."""

    def variant(self, sku, *, price, stock=0, msk_price=None, warehouse=None):
        """Создать товар с одним вариантом, ценами и остатком (bulk_create — без индексации)."""
        product = Product.objects.bulk_create(
            [Product(name=f"Товар {sku}", slug=sku.lower(), main_category=self.root)]
        )[0]
        variant = Variant.objects.bulk_create([Variant(product=product, sku=sku, name="")])[0]
        variant.product = product
        prices = [VariantPrice(variant=variant, price_list=self.base_list, price=Decimal(price))]
        if msk_price is not None:
            prices.append(VariantPrice(variant=variant, price_list=self.msk_list, price=Decimal(msk_price)))
        VariantPrice.objects.bulk_create(prices)
        if stock:
            Stock.objects.bulk_create(
                [Stock(variant=variant, warehouse=warehouse or self.msk_warehouse, quantity=stock)]
            )
        return variant


def shop_create():
    """Регионы msk (по умолчанию) и spb с оплатами, прайс-листы (базовый и московский), склады, корень каталога."""
    shop = Shop()
    # bulk_create — мимо сигналов каталога, которые пересчитывают предложения всех товаров.
    shop.msk, shop.spb = Region.objects.bulk_create(
        [
            Region(code="msk", name="Москва", is_default=True, subfolder="msk", sort_order=0),
            Region(code="spb", name="Санкт-Петербург", subfolder="spb", sort_order=1),
        ]
    )
    shop.base_list, shop.msk_list = PriceList.objects.bulk_create(
        [PriceList(code="base", name="Базовый"), PriceList(code="msk", name="Москва", region=shop.msk)]
    )
    shop.msk_warehouse, shop.spb_warehouse = Warehouse.objects.bulk_create(
        [
            Warehouse(code="msk-1", name="Склад Москва", region=shop.msk, address="Москва, склад 1"),
            Warehouse(code="spb-1", name="Склад СПб", region=shop.spb),
        ]
    )
    # В обоих регионах включены онлайн-оплата (тестовый провайдер) и оплата при получении.
    RegionPaymentProvider.objects.bulk_create(
        RegionPaymentProvider(region=region, provider=code, sort_order=order)
        for region in (shop.msk, shop.spb)
        for order, code in enumerate(["test", "cash_on_delivery"])
    )
    shop.root = Category.add_root(name="Каталог", slug="root")
    return shop
