"""Демонстрационный каталог: идемпотентен и даёт региональные цены, если регионы есть."""

import io

import pytest

from commerce.catalog.demo import seed_catalog
from commerce.catalog.models import Product, ProductOffer
from commerce.pricing.models import PriceList
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db


def test_seed_catalog_is_idempotent_and_uses_existing_regions(api_client):
    # given
    RegionFactory(code="msk", name="Москва", is_default=True)
    RegionFactory(code="spb", name="Санкт-Петербург")
    # when
    seed_catalog(stdout=io.StringIO())
    seed_catalog(stdout=io.StringIO())
    # then
    assert Product.objects.count() == 4
    assert PriceList.objects.count() == 3
    spb = api_client.get("/api/v1/catalog/products/phone-nova-6/", HTTP_X_REGION="spb").json()
    assert spb["variants"][0]["price"] == "28490.00"
    assert ProductOffer.objects.filter(region__code="msk", in_stock=True).count() == 4


def test_seed_catalog_without_regions_creates_nothing_regional():
    seed_catalog(stdout=io.StringIO())
    assert Product.objects.count() == 4
    assert list(PriceList.objects.values_list("region", flat=True)) == [None]
