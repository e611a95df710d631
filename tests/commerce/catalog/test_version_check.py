"""Версии каталога: процесс сверяет их с Redis не чаще раза в CATALOG_VERSION_CHECK_SECONDS."""

import pytest
from django.core.cache import cache

from commerce.catalog import cache as catalog_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch, settings):
    """Часы сверки, которые двигает тест (интервал — 1 с)."""
    settings.CATALOG_VERSION_CHECK_SECONDS = 1.0
    now = [1000.0]
    monkeypatch.setattr(catalog_cache, "_clock", lambda: now[0])
    monkeypatch.setattr(catalog_cache, "_local", catalog_cache._LocalVersions())
    return now


def test_other_process_change_is_seen_after_the_check_interval(clock, django_assert_num_queries):
    # given: версии прочитаны
    first = catalog_cache.catalog_versions()
    # when: другой процесс сменил версию данных прямо в Redis
    cache.set(catalog_cache.DATA_VERSION_KEY, "changed-elsewhere", timeout=None)
    # then: до конца интервала — копия процесса, после — новая версия
    clock[0] += 0.5
    assert catalog_cache.catalog_versions() == first
    clock[0] += 0.6
    assert catalog_cache.catalog_versions() == (first[0], "changed-elsewhere")


def test_own_change_is_seen_at_once(clock):
    # given
    before = catalog_cache.catalog_versions()
    # when: правка в этом процессе
    catalog_cache.catalog_cache_invalidate()
    # then: без ожидания интервала
    after = catalog_cache.catalog_versions()
    assert after[0] == before[0]
    assert after[1] != before[1]
    assert after[1] == cache.get(catalog_cache.DATA_VERSION_KEY)


def test_cached_answer_is_refused_once_versions_change(clock):
    # given: ответ положен при текущих версиях
    key = catalog_cache.response_cache_key(region_code="msk", path="/p/", params=[])
    versions, cached = catalog_cache.response_cache_lookup(key=key)
    assert cached is None
    catalog_cache.response_cache_store(key=key, versions=versions, etag='"e"', body=b"{}", timeout=60)
    assert catalog_cache.response_cache_lookup(key=key)[1] == ('"e"', b"{}")
    # when: правка каталога в этом процессе
    catalog_cache.catalog_cache_invalidate()
    # then
    assert catalog_cache.response_cache_lookup(key=key)[1] is None
