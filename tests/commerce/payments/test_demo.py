"""Демо-магазин: в каждом регионе включены способы оплаты, и демо-заказ оформляется."""

import io

import pytest
from django.core.management import call_command

from commerce.payments.models import RegionPaymentProvider
from commerce.payments.selectors import provider_codes_for_region
from regions.models import Region

pytestmark = pytest.mark.django_db


def test_seed_demo_enables_test_and_cash_on_delivery_in_every_region(settings):
    # given: тестовый провайдер включён (разработка)
    assert "test" in settings.PAYMENTS_PROVIDERS
    # when
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    # then: в каждом регионе оба способа, повтор ничего не дублирует
    regions = list(Region.objects.filter(is_active=True))
    assert len(regions) == 3
    for region in regions:
        assert provider_codes_for_region(region_id=region.pk) == ["test", "cash_on_delivery"]
    assert RegionPaymentProvider.objects.count() == 6


def test_seed_demo_keeps_a_provider_switched_off_in_the_admin(settings):
    call_command("seed_demo", stdout=io.StringIO())
    RegionPaymentProvider.objects.filter(region__code="spb", provider="test").update(is_enabled=False)
    call_command("seed_demo", stdout=io.StringIO())
    assert provider_codes_for_region(region_id=Region.objects.get(code="spb").pk) == ["cash_on_delivery"]


def test_seed_demo_skips_the_test_provider_when_it_is_off(settings):
    settings.PAYMENTS_PROVIDERS = {key: value for key, value in settings.PAYMENTS_PROVIDERS.items() if key != "test"}
    call_command("seed_demo", stdout=io.StringIO())
    assert set(RegionPaymentProvider.objects.values_list("provider", flat=True)) == {"cash_on_delivery"}
