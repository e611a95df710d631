"""Настройки масштабирования: без новых переменных всё как раньше, с ними — включено.

Модуль настроек выполняется заново (runpy) с подменённым окружением: так проверяется именно
чтение окружения при старте, без запуска процесса.
"""

import runpy
from pathlib import Path

import pytest

SETTINGS_PATH = Path(__file__).resolve().parents[2] / "site" / "config" / "settings.py"

NEW_VARIABLES = (
    "DATABASE_REPLICA_URL",
    "REDIS_CACHE_URL",
    "REDIS_LOCKS_URL",
    "REDIS_SENTINELS",
    "CDN_S_MAXAGE",
    "CDN_PURGE_VARNISH_URL",
    "MEDIA_S3_BUCKET",
    "CELERY_BROKER_URL",
)


@pytest.fixture
def settings_with(monkeypatch):
    def load(**env):
        for name in (*NEW_VARIABLES, "DATABASE_URL", "REDIS_URL"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("DJANGO_ENV", "development")
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_PATH))

    return load


def test_without_new_variables_nothing_changes(settings_with):
    # when
    conf = settings_with()
    # then: ни маршрутизатора, ни реплик, ни CDN; медиа на диске; кэш в памяти процесса
    assert "DATABASE_ROUTERS" not in conf
    assert list(conf["DATABASES"]) == ["default"]
    assert not any("db_routing" in item or "cdn" in item for item in conf["MIDDLEWARE"])
    assert conf["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert conf["CACHES"]["locks"] is conf["CACHES"]["default"]
    assert "wagtail.contrib.frontend_cache" not in conf["INSTALLED_APPS"]


def test_replicas_get_aliases_router_and_middleware(settings_with):
    # when
    conf = settings_with(
        DATABASE_URL="postgres://postgres@db:5432/shop",
        DATABASE_REPLICA_URL="postgres://postgres@r1:5432/shop,postgres://postgres@r2:5432/shop",
    )
    # then
    assert conf["DATABASE_REPLICA_ALIASES"] == ["replica", "replica_2"]
    assert conf["DATABASES"]["replica_2"]["HOST"] == "r2"
    assert conf["DATABASES"]["replica"]["TEST"] == {"MIRROR": "default"}
    assert conf["DATABASE_ROUTERS"] == ["core.db_routing.ReplicaRouter"]
    assert conf["MIDDLEWARE"][-1] == "core.db_routing.ReplicaReadsMiddleware"


def test_redis_roles_and_sentinel(settings_with):
    # when
    conf = settings_with(
        REDIS_URL="redis://mymaster/0",
        REDIS_LOCKS_URL="redis://mymaster/2",
        REDIS_SENTINELS="10.0.0.1:26379,10.0.0.2:26379",
    )
    # then: кэш и лимиты — через Sentinel, ошибки кэша глотаются, лимитов — нет; брокер — sentinel://
    cache, locks = conf["CACHES"]["default"], conf["CACHES"]["locks"]
    assert cache["OPTIONS"]["CLIENT_CLASS"] == "django_redis.client.SentinelClient"
    assert cache["OPTIONS"]["SENTINELS"] == [("10.0.0.1", 26379), ("10.0.0.2", 26379)]
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert "IGNORE_EXCEPTIONS" not in locks["OPTIONS"]
    assert locks["LOCATION"] == "redis://mymaster/2"
    assert conf["CELERY_BROKER_URL"] == "sentinel://10.0.0.1:26379/0;sentinel://10.0.0.2:26379/0"
    assert conf["CELERY_BROKER_TRANSPORT_OPTIONS"]["master_name"] == "mymaster"


def test_s3_media_and_cdn_switch_on_by_variables(settings_with):
    # when
    conf = settings_with(
        MEDIA_S3_BUCKET="shop-media",
        MEDIA_S3_ENDPOINT_URL="https://storage.yandexcloud.net",
        CDN_S_MAXAGE="120",
        CDN_PURGE_VARNISH_URL="http://varnish:6081",
    )
    # then
    storage = conf["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["endpoint_url"] == "https://storage.yandexcloud.net"
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert "core.cdn.CdnCacheMiddleware" in conf["MIDDLEWARE"]
    assert conf["WAGTAILFRONTENDCACHE"]["varnish"]["LOCATION"] == "http://varnish:6081"


def test_notifications_have_their_own_queue(settings):
    # then: уведомления, импорт и интеграции не делят очередь с default
    routes = settings.CELERY_TASK_ROUTES
    assert routes["commerce.orders.tasks.order_status_notify"] == {"queue": "notifications"}
    assert routes["exchange.*"] == {"queue": "imports"}
    assert routes["integrations.*"] == {"queue": "integrations"}
