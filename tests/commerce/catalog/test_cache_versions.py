"""Узкий сброс кэша витрины после оформления заказа: карточки — всегда, списки — только при смене наличия или цены."""

import pytest
from django.db import transaction

from commerce.catalog.offers import product_offer_refresh_deferred
from commerce.inventory.models import Stock

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/catalog/products/"
LIST = {"category": "electronics", "sort": "price"}


def _reserve(variant, warehouse, reserved, on_commit):
    """Изменить резерв так, как это делает оформление заказа: в отложенном блоке, с фиксацией."""
    with on_commit(execute=True), transaction.atomic(), product_offer_refresh_deferred():
        stock = Stock.objects.select_for_update().get(variant=variant, warehouse=warehouse)
        stock.reserved = reserved
        stock.save()


def _availability(response, slug):
    return next(item["is_available"] for item in response.json()["results"] if item["slug"] == slug)


def test_order_that_keeps_availability_keeps_lists_cached_but_refreshes_the_card(
    api_client, catalog, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    # given: список и карточка в кэше; у телефона А 5 штук в Москве
    settings.CATALOG_CACHE_TIMEOUT = 300
    listed = api_client.get(PRODUCTS, LIST, HTTP_X_REGION="msk").json()
    assert api_client.get(f"{PRODUCTS}phone-a/", HTTP_X_REGION="msk").json()["variants"][0]["available_quantity"] == 5

    # when: заказ резервирует 2 из 5 — наличие и цена в списке прежние
    _reserve(catalog.phone_black.variant, catalog.msk_warehouse, 2, django_capture_on_commit_callbacks)

    # then: список отдаётся из кэша без единого запроса к базе, карточка — уже с 3 штуками
    with django_assert_num_queries(0):
        assert api_client.get(PRODUCTS, LIST, HTTP_X_REGION="msk").json() == listed
    card = api_client.get(f"{PRODUCTS}phone-a/", HTTP_X_REGION="msk").json()
    assert card["variants"][0]["available_quantity"] == 3


def test_order_that_sells_the_last_unit_refreshes_lists_and_facets_at_once(
    api_client, catalog, settings, django_capture_on_commit_callbacks
):
    # given
    settings.CATALOG_CACHE_TIMEOUT = 300
    assert _availability(api_client.get(PRODUCTS, LIST, HTTP_X_REGION="msk"), "phone-a") is True
    facets = api_client.get(f"{PRODUCTS}facets/", {"category": "electronics"}, HTTP_X_REGION="msk").json()

    # when: заказ резервирует все 5 штук
    _reserve(catalog.phone_black.variant, catalog.msk_warehouse, 5, django_capture_on_commit_callbacks)

    # then: список и фасеты сразу видят, что товара больше нет
    assert _availability(api_client.get(PRODUCTS, LIST, HTTP_X_REGION="msk"), "phone-a") is False
    after = api_client.get(f"{PRODUCTS}facets/", {"category": "electronics"}, HTTP_X_REGION="msk").json()
    assert after["in_stock"] == facets["in_stock"] - 1
