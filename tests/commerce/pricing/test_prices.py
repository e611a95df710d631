"""Цены: неотрицательные, старая больше текущей, один базовый прайс-лист, валюта региона."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commerce.pricing import services
from commerce.pricing.models import PriceList, VariantPrice
from commerce.pricing.selectors import variant_price_for_region
from tests.factories.catalog import PriceListFactory
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("price", "old_price"), [("-1", None), ("100", "100"), ("100", "50")])
def test_database_rejects_negative_price_and_old_price_not_above_price(catalog, price, old_price):
    row = VariantPrice.objects.get(variant=catalog.laptop.variant, price_list=catalog.base_list)
    with pytest.raises(IntegrityError), transaction.atomic():
        VariantPrice.objects.filter(pk=row.pk).update(price=Decimal(price), old_price=old_price and Decimal(old_price))


def test_service_rejects_negative_price(catalog):
    with pytest.raises(ValidationError):
        services.variant_price_set(variant=catalog.laptop.variant, price_list=catalog.base_list, price="-5")


def test_service_sets_price_with_two_places_and_old_price(catalog):
    row = services.variant_price_set(
        variant=catalog.laptop.variant, price_list=catalog.msk_list, price="85000.5", old_price="99990"
    )
    assert row.price == Decimal("85000.50")
    assert variant_price_for_region(variant_id=catalog.laptop.variant.pk, region_id=catalog.msk.pk) == row
    assert variant_price_for_region(variant_id=catalog.laptop.variant.pk, region_id=catalog.spb.pk).price == Decimal(
        "90000.00"
    )


def test_only_one_base_price_list(regions):
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceList.objects.create(code="base-2", name="Второй базовый")


def test_regional_price_list_takes_region_currency(db):
    region = RegionFactory(code="kzt", name="Алматы", currency="KZT", is_default=True)
    assert PriceListFactory(region=region).currency == "KZT"
