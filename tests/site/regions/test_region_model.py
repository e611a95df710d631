"""Модель Region: инварианты, которые проверяет clean() и база."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from regions.models import Region
from regions.services import region_make_default, region_upsert
from tests.factories.regions import RegionFactory


def errors_of(region):
    with pytest.raises(ValidationError) as caught:
        region.full_clean()
    return caught.value.message_dict


def test_first_region_must_be_the_default(db):
    assert "is_default" in errors_of(Region(code="msk", name="Москва"))


def test_second_default_is_rejected_by_clean(regions):
    assert "is_default" in errors_of(Region(code="ekb", name="Екатеринбург", is_default=True))


def test_second_default_is_rejected_by_the_database(regions):
    with pytest.raises(IntegrityError):
        RegionFactory(code="ekb", is_default=True)


def test_default_region_cannot_be_switched_off(regions):
    regions["msk"].is_active = False

    assert "is_active" in errors_of(regions["msk"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", "Msk"),
        ("code", "msk region"),
        ("subfolder", "admin"),
        ("subfolder", "api"),
        ("subdomain", "msk.spb"),
        ("time_zone", "Moscow"),
        ("currency", "rub"),
        ("geoip_codes", "RU-MOW, Москва"),
    ],
)
def test_bad_field_values_are_rejected(regions, field, value):
    region = Region(code="ekb", name="Екатеринбург")
    setattr(region, field, value)

    assert field in errors_of(region)


def test_geoip_codes_are_normalised(regions):
    region, _created = region_upsert(code="ekb", name="Екатеринбург", geoip_codes="ru-sve;RU-KGN")

    assert region.geoip_codes == "RU-SVE, RU-KGN"


def test_make_default_moves_the_flag(regions):
    region_make_default(region=regions["kzn"])

    assert list(Region.objects.filter(is_default=True)) == [regions["kzn"]]


def test_display_name_follows_language(regions):
    assert regions["spb"].display_name("en") == "Saint Petersburg"
    assert regions["spb"].display_name("ru") == "Санкт-Петербург"
    assert Region(name="Тверь").display_name("en") == "Тверь"
