"""Удаление товара с вариантами, ценами и остатками проходит до фиксации транзакции."""

from decimal import Decimal

import pytest
from django.db import transaction

from commerce.catalog.models import Product, ProductOffer, Variant
from tests.factories.catalog import (
    PriceListFactory,
    ProductFactory,
    StockFactory,
    VariantFactory,
    VariantPriceFactory,
    WarehouseFactory,
)
from tests.factories.regions import RegionFactory


@pytest.mark.django_db(transaction=True)
def test_deleting_a_product_with_variants_commits_and_leaves_no_rows():
    # given: товар с двумя вариантами, ценой и остатком в регионе
    region = RegionFactory(code="msk", is_default=True)
    price_list = PriceListFactory(code="base")
    warehouse = WarehouseFactory(region=region)
    product = ProductFactory()
    for _ in range(2):
        variant = VariantFactory(product=product)
        VariantPriceFactory(variant=variant, price_list=price_list, price=Decimal("100.00"))
        StockFactory(variant=variant, warehouse=warehouse, quantity=3)
    assert ProductOffer.objects.filter(product=product).exists()

    # when: удаление в своей транзакции — отложенные внешние ключи проверяются при фиксации
    with transaction.atomic():
        Product.objects.get(pk=product.pk).delete()

    # then
    assert not Product.objects.filter(pk=product.pk).exists()
    assert not Variant.objects.filter(product_id=product.pk).exists()
    assert not ProductOffer.objects.filter(product_id=product.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_deleting_one_variant_still_refreshes_the_product_offer():
    region = RegionFactory(code="msk", is_default=True)
    price_list = PriceListFactory(code="base")
    product = ProductFactory()
    cheap = VariantFactory(product=product)
    dear = VariantFactory(product=product)
    VariantPriceFactory(variant=cheap, price_list=price_list, price=Decimal("100.00"))
    VariantPriceFactory(variant=dear, price_list=price_list, price=Decimal("300.00"))
    assert ProductOffer.objects.get(product=product, region=region).price == Decimal("100.00")

    with transaction.atomic():
        cheap.delete()

    assert ProductOffer.objects.get(product=product, region=region).price == Decimal("300.00")
