"""/api/health/: состояние базы, кэша и брокера."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
# Кэш Redis на порту, где Redis нет, — и в основном прогоне, и во встроенном (там кэш в памяти).
UNREACHABLE_CACHE = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": UNREACHABLE_REDIS,
    "OPTIONS": {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        "SOCKET_CONNECT_TIMEOUT": 0.5,
        "SOCKET_TIMEOUT": 0.5,
    },
}


@pytest.mark.postgres_only(reason="отчёт о настоящих PostgreSQL, Redis и брокере Redis")
@pytest.mark.redis_only(reason="отчёт о настоящих PostgreSQL, Redis и брокере Redis")
def test_health_reports_ok_with_postgres_redis_and_broker(api_client):
    response = api_client.get("/api/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["services"]["database"] == {**body["services"]["database"], "status": "ok", "backend": "postgresql"}
    assert body["services"]["cache"]["status"] == "ok"
    assert body["services"]["cache"]["backend"] == "RedisCache"
    assert body["services"]["broker"]["status"] == "ok"
    assert body["services"]["broker"]["backend"] == "redis"
    assert response["Cache-Control"] == "no-store"


def test_health_is_503_when_redis_is_unreachable(api_client, settings):
    # given: кэш и брокер (задачи не eager, как в production) указывают на порт, где Redis нет
    with override_settings(
        CACHES={"default": UNREACHABLE_CACHE},
        CELERY_BROKER_URL=UNREACHABLE_REDIS,
        CELERY_TASK_ALWAYS_EAGER=False,
        REDIS_SOCKET_TIMEOUT=0.5,
    ):
        # when (Django сам пересоздаёт кэши при override_settings(CACHES=...); глобальное
        # приложение Celery не трогаем — проверка берёт адрес брокера из настроек)
        response = api_client.get("/api/health/")

    # then
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["services"]["database"]["status"] == "ok"
    assert body["services"]["cache"]["status"] == "down"
    assert body["services"]["broker"]["status"] == "down"
    assert body["services"]["cache"]["error"]


def test_health_reports_eager_broker_as_disabled_not_down(api_client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = api_client.get("/api/health/")

    assert response.status_code == 200
    assert response.json()["services"]["broker"] == {
        "status": "disabled",
        "backend": "eager",
        "latency_ms": None,
        "error": "",
    }
