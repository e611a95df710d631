"""Журнал и агрегация через настоящий воркер Celery и Redis."""

import pytest
from django.utils import timezone

from commerce.search.models import PopularQuery, SearchQueryDaily, SearchQueryLog
from commerce.search.tasks import search_buffer_flush, search_stats_aggregate


@pytest.mark.django_db(transaction=True)
def test_worker_flushes_buffer_and_aggregates_searches(api_client, shop, celery_worker, settings):
    # given: поиски через API ложатся в буфер Redis
    settings.SEARCH_POPULAR_MIN_SEARCHES = 2
    for query in ("Ноутбуки", "ноутбуки", "кофемашина"):
        assert api_client.get("/api/v1/search/", {"q": query}, HTTP_X_REGION="msk").status_code == 200
    assert SearchQueryLog.objects.count() == 0
    # when: воркер переносит буфер и считает агрегаты дня
    flushed = search_buffer_flush.delay().get(timeout=60)
    result = search_stats_aggregate.delay().get(timeout=60)
    # then
    assert flushed == {"logs": 3, "events": 0}
    assert result["day"] == timezone.localdate().isoformat()
    rows = {row.query: row for row in SearchQueryDaily.objects.filter(region_code="msk")}
    assert rows["ноутбуки"].searches == 2 and rows["ноутбуки"].zero_results == 0
    assert rows["кофемашина"].zero_results == 1
    assert list(PopularQuery.objects.values_list("query", flat=True)) == ["ноутбуки"]
