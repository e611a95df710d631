"""Наличие в списке (предложения товаров) после оформления и отмены: один пересчёт после COMMIT."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commerce.catalog.models import ProductOffer
from commerce.catalog.offers import product_offer_refresh
from commerce.orders import services
from commerce.orders.models import Order
from commerce.orders.status import OrderStatus
from tests.commerce.orders.helpers import cart_create, checkout_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet(settings):
    settings.ORDERS_NOTIFY_EMAIL = False
    settings.ORDERS_NOTIFY_SMS = False


def offer(variant, region):
    return ProductOffer.objects.get(product_id=variant.product_id, region=region)


def offer_writes(queries):
    return [query for query in queries if "INSERT INTO catalog_productoffer" in query["sql"]]


def test_checkout_refreshes_offers_once_after_commit_not_while_stock_is_locked(
    shop, django_capture_on_commit_callbacks
):
    # given: два товара, в корзине — всё, что есть на складе
    first = shop.variant("LAST-1", price="100", stock=1)
    second = shop.variant("LAST-2", price="200", stock=2)
    product_offer_refresh(product_ids=[first.product_id, second.product_id])
    assert offer(first, shop.msk).in_stock and offer(second, shop.msk).in_stock
    cart = cart_create(region=shop.msk, lines=[(first, 1), (second, 2)])

    # when: оформление (транзакция ещё не зафиксирована — обработчики on_commit не вызваны)
    with django_capture_on_commit_callbacks() as callbacks, CaptureQueriesContext(connection) as inside:
        response = checkout_request(cart=cart)

    # then: внутри транзакции предложения не пересчитывались
    assert response.status_code == 201, response.json()
    assert offer_writes(inside) == []
    assert offer(first, shop.msk).in_stock is True
    # after commit: один пересчёт на оба товара, и наличие верное
    with CaptureQueriesContext(connection) as after:
        for callback in callbacks:
            callback()
    assert len(offer_writes(after)) == 1
    for variant in (first, second):
        row = offer(variant, shop.msk)
        assert (row.in_stock, row.available_quantity) == (False, 0)


def test_failed_checkout_leaves_offers_alone(shop, django_capture_on_commit_callbacks):
    # given: в корзине больше, чем есть
    variant = shop.variant("SHORT-1", price="100", stock=1)
    product_offer_refresh(product_ids=[variant.product_id])
    cart = cart_create(region=shop.msk, lines=[(variant, 2)])
    # when
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries:
        response = checkout_request(cart=cart)
    # then: откат — ни пересчёта, ни изменений
    assert response.status_code == 409
    assert offer_writes(queries) == []
    assert (offer(variant, shop.msk).in_stock, offer(variant, shop.msk).available_quantity) == (True, 1)


def test_cancelled_order_returns_product_to_stock_in_the_list_after_commit(shop, django_capture_on_commit_callbacks):
    # given: последняя штука заказана
    variant = shop.variant("BACK-1", price="100", stock=1)
    product_offer_refresh(product_ids=[variant.product_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = checkout_request(cart=cart_create(region=shop.msk, lines=[(variant, 1)]))
    assert response.status_code == 201
    assert offer(variant, shop.msk).in_stock is False
    order = Order.objects.get(number=response.json()["number"])
    # when: менеджер отменяет заказ
    with django_capture_on_commit_callbacks() as callbacks:
        services.order_status_change(order=order, to_status=OrderStatus.CANCELLED)
    assert offer(variant, shop.msk).in_stock is False
    for callback in callbacks:
        callback()
    # then
    row = offer(variant, shop.msk)
    assert (row.in_stock, row.available_quantity) == (True, 1)
