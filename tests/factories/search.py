"""Фабрики журнала поиска."""

import uuid

import factory
from django.utils import timezone

from commerce.search.models import SearchEvent, SearchQueryLog


class SearchQueryLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SearchQueryLog

    search_id = factory.LazyFunction(uuid.uuid4)
    created_at = factory.LazyFunction(timezone.now)
    region_code = "msk"
    query = factory.Sequence(lambda number: f"запрос {number}")
    results_count = 1


class SearchEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SearchEvent

    created_at = factory.LazyFunction(timezone.now)
    kind = "view"
    region_code = "msk"
    product_id = 1
    category_id = None
