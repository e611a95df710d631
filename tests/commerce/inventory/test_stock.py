"""Остатки: доступно никогда не меньше нуля, резерв под заказ, наличие в списке по региону."""

import pytest
from django.db import IntegrityError, transaction

from commerce.catalog.models import ProductOffer
from commerce.inventory import services
from commerce.inventory.models import Stock

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("quantity", "reserved"),
    [(-1, 0), (5, -1), (5, 6)],
)
def test_database_rejects_negative_or_overreserved_stock(catalog, quantity, reserved):
    stock = Stock.objects.get(variant=catalog.phone_black.variant, warehouse=catalog.msk_warehouse)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=stock.pk).update(quantity=quantity, reserved=reserved)


def test_reserve_never_sells_more_than_available(catalog):
    # given: на складе 5
    variant, warehouse = catalog.phone_black.variant, catalog.msk_warehouse
    # when
    services.stock_reserve(variant=variant, warehouse=warehouse, quantity=4)
    # then
    with pytest.raises(services.StockInsufficient):
        services.stock_reserve(variant=variant, warehouse=warehouse, quantity=2)
    stock = Stock.objects.get(variant=variant, warehouse=warehouse)
    assert (stock.quantity, stock.reserved, stock.available) == (5, 4, 1)


def test_reserving_everything_makes_product_unavailable_in_region(catalog):
    services.stock_reserve(variant=catalog.phone_black.variant, warehouse=catalog.msk_warehouse, quantity=5)
    offer = ProductOffer.objects.get(product=catalog.phone_black, region=catalog.msk)
    assert offer.in_stock is False
    assert offer.available_quantity == 0


def test_release_and_ship_reserved_stock(catalog):
    variant, warehouse = catalog.phone_black.variant, catalog.msk_warehouse
    services.stock_reserve(variant=variant, warehouse=warehouse, quantity=3)
    services.stock_release(variant=variant, warehouse=warehouse, quantity=1)
    stock = services.stock_release(variant=variant, warehouse=warehouse, quantity=2, ship=True)
    assert (stock.quantity, stock.reserved) == (3, 0)


def test_stock_set_cannot_go_below_reserved(catalog):
    variant, warehouse = catalog.phone_black.variant, catalog.msk_warehouse
    services.stock_reserve(variant=variant, warehouse=warehouse, quantity=3)
    with pytest.raises(services.StockInsufficient):
        services.stock_set(variant=variant, warehouse=warehouse, quantity=2)
    assert services.stock_set(variant=variant, warehouse=warehouse, quantity=7).available == 4


def test_inactive_warehouse_stock_is_not_for_sale(catalog):
    catalog.msk_warehouse.is_active = False
    catalog.msk_warehouse.save()
    assert ProductOffer.objects.get(product=catalog.phone_black, region=catalog.msk).in_stock is False
