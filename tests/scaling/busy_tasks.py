"""Задача-«длинный импорт» для теста очередей: занимает воркер imports, пока тест не отпустит.

Имя exchange.* — маршрут CELERY_TASK_ROUTES отправляет её в очередь imports, как настоящие
задачи обмена. Воркер подключает модуль ключом --include только в тесте.
"""

import time

import redis
from celery import shared_task
from django.conf import settings

STARTED_KEY = "scaling:busy:started"
RELEASE_KEY = "scaling:busy:release"


@shared_task(name="exchange.scaling_busy")
def scaling_busy(limit_seconds=60):
    """Отметить начало и ждать разрешения закончить (не дольше limit_seconds)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.set(STARTED_KEY, 1)
    deadline = time.monotonic() + limit_seconds
    while time.monotonic() < deadline and not client.get(RELEASE_KEY):
        time.sleep(0.1)
    return "released" if client.get(RELEASE_KEY) else "timeout"
