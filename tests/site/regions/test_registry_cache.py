"""Снимок регионов: ни одного SQL-запроса на определение региона в тёплом состоянии."""

import time

from django.core.cache import cache

from regions import registry
from regions.registry import region_registry
from tests.factories.regions import RegionFactory

CURRENT = "/api/v1/regions/current"


def test_warm_resolution_makes_no_sql_query(api_client, regions, django_assert_num_queries):
    # given: первый запрос прогревает снимок
    api_client.get(CURRENT)

    # then: все способы определения региона и оба эндпоинта — без базы
    with django_assert_num_queries(0):
        assert api_client.get(CURRENT, {"region": "kzn"}).status_code == 200
        assert api_client.get(f"/spb{CURRENT}").status_code == 200
        assert api_client.get(CURRENT).status_code == 200
        assert api_client.get("/api/v1/regions/").status_code == 200


def test_cold_resolution_reads_regions_with_one_query(api_client, regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        api_client.get(CURRENT)


def test_saving_a_region_is_seen_by_the_next_request(api_client, regions):
    # given
    api_client.get(CURRENT)

    # when
    regions["kzn"].name = "Казань-Татарстан"
    regions["kzn"].save()

    # then
    assert api_client.get(CURRENT, {"region": "kzn"}).json()["region"]["name"] == "Казань-Татарстан"


def test_new_and_deleted_regions_are_seen_by_the_next_request(api_client, regions):
    api_client.get(CURRENT)

    RegionFactory(code="ekb", name="Екатеринбург")
    regions["spb"].delete()

    assert api_client.get(CURRENT, {"region": "ekb"}).status_code == 200
    assert api_client.get(CURRENT, {"region": "spb"}).json()["error"]["code"] == "region_unknown"


def test_another_process_change_is_picked_up_through_the_version_key(regions, django_assert_num_queries):
    # given: снимок этого процесса тёплый
    warm = region_registry()

    # when: другой процесс сменил версию в общем кэше
    cache.set("regions:registry-version", "changed-elsewhere", timeout=None)

    # then: снимок перечитывается одним запросом и дальше снова тёплый
    with django_assert_num_queries(1):
        fresh = region_registry()
    assert fresh is not warm
    with django_assert_num_queries(0):
        assert region_registry() is fresh


def test_unreachable_cache_does_not_break_resolution(api_client, regions, settings):
    # Кэш Redis на порту, где Redis нет: и в основном прогоне, и во встроенном (там кэш в памяти).
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        }
    }

    response = api_client.get(CURRENT, {"region": "spb"})

    assert response.status_code == 200
    assert response.json()["region"]["code"] == "spb"


def test_warm_snapshot_is_not_checked_against_the_cache_within_the_check_interval(regions, settings, monkeypatch):
    # given: сверка с кэшем не чаще раза в 60 с, снимок тёплый
    settings.REGIONS_REGISTRY_CHECK_SECONDS = 60
    warm = region_registry()
    clock = [time.monotonic()]
    monkeypatch.setattr(registry.time, "monotonic", lambda: clock[0])
    region_registry()

    # when: другой процесс сменил версию в общем кэше
    cache.set("regions:registry-version", "changed-elsewhere", timeout=None)

    # then: внутри интервала — прежний снимок без обращения к Redis, после него — новый
    clock[0] += 30
    assert region_registry() is warm
    clock[0] += 31
    fresh = region_registry()
    assert fresh is not warm
    assert fresh.version == "changed-elsewhere"


def test_change_made_in_this_process_is_seen_at_once_despite_the_check_interval(api_client, regions, settings):
    settings.REGIONS_REGISTRY_CHECK_SECONDS = 60
    api_client.get(CURRENT)

    regions["kzn"].name = "Казань-Татарстан"
    regions["kzn"].save()

    assert api_client.get(CURRENT, {"region": "kzn"}).json()["region"]["name"] == "Казань-Татарстан"
