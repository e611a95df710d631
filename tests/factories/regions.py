"""Фабрики регионов."""

import factory

from regions.models import Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda number: f"r{number}")
    name = factory.LazyAttribute(lambda region: f"Регион {region.code}")
    name_en = factory.LazyAttribute(lambda region: f"Region {region.code}")
    subdomain = factory.LazyAttribute(lambda region: region.code)
    subfolder = factory.LazyAttribute(lambda region: region.code)
    sort_order = factory.Sequence(lambda number: number * 10)
