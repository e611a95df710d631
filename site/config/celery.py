"""Приложение Celery.

Брокер и режим берутся из настроек Django (префикс CELERY_): без REDIS_URL задачи
выполняются сразу в процессе (eager), с REDIS_URL уходят воркеру через Redis.
Задачи ищутся в модулях tasks.py всех установленных приложений.
"""

import os

from celery import Celery

from config import paths  # noqa: F401  (добавляет site/ в sys.path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("megashop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
