"""Проверки зависимостей для /api/health/.

Каждая проверка возвращает ``ServiceState``; исключения внутри проверок не выходят наружу:
упавший сервис — это состояние «down», а не ошибка 500.
"""

import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from config.celery import app

logger = logging.getLogger(__name__)

STATUS_OK = "ok"
STATUS_DOWN = "down"
# Сервис не используется в этой конфигурации (например, Celery в режиме eager).
STATUS_DISABLED = "disabled"


@dataclass(frozen=True)
class ServiceState:
    """Состояние одного сервиса."""

    name: str
    status: str
    backend: str
    latency_ms: float | None = None
    error: str = ""

    @property
    def is_down(self):
        return self.status == STATUS_DOWN


def _measure(name, backend, probe):
    started = time.perf_counter()
    try:
        probe()
    except Exception as error:  # noqa: BLE001 — любая ошибка сервиса означает «down»
        logger.warning("Проверка %s не прошла: %s", name, error)
        return ServiceState(name=name, status=STATUS_DOWN, backend=backend, error=type(error).__name__)
    latency = round((time.perf_counter() - started) * 1000, 2)
    return ServiceState(name=name, status=STATUS_OK, backend=backend, latency_ms=latency)


def check_database():
    """Проверить базу данных запросом SELECT 1."""

    def probe():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return _measure("database", connection.vendor, probe)


def check_cache():
    """Проверить кэш записью и чтением случайного ключа."""
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]

    def probe():
        key = f"health:{uuid.uuid4().hex}"
        cache.set(key, "1", timeout=10)
        if cache.get(key) != "1":
            raise RuntimeError("значение не прочиталось из кэша")
        cache.delete(key)

    return _measure("cache", backend, probe)


def check_broker():
    """Проверить соединение с брокером Celery (в режиме eager брокер не нужен)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return ServiceState(name="broker", status=STATUS_DISABLED, backend="eager")
    transport = settings.CELERY_BROKER_URL.split("://", 1)[0]

    def probe():
        # Своё соединение по адресу из настроек, не из пула приложения: проверка здоровья
        # не должна оставлять в общем пуле Celery ни сломанных, ни чужих соединений.
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.REDIS_SOCKET_TIMEOUT)

    return _measure("broker", transport, probe)


def check_all():
    """Проверить все сервисы; вернуть список состояний."""
    return [check_database(), check_cache(), check_broker()]
