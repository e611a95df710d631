"""Задачи Celery коннектора ERPNext (очередь integrations): загрузка изменений по расписанию."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from integrations.core.models import Connection
from integrations.core.sync import sync_run

logger = logging.getLogger(__name__)


@shared_task(name="integrations.erpnext_sync_due", ignore_result=True)
def erpnext_sync_due():
    """Загрузить изменения всех включённых подключений ERPNext (страховка к вебхукам, по beat).

    Одна загрузка подключения за раз: пока идёт прошлая, следующая пропускается (замок в кэше).
    """
    for connection in Connection.objects.filter(system="erpnext", enabled=True):
        key = f"integrations:erpnext:sync:{connection.pk}"
        if not cache.add(key, 1, timeout=settings.ERPNEXT_SYNC_LOCK_SECONDS):
            logger.info("ERPNext %s: прошлая загрузка ещё идёт", connection.code)
            continue
        try:
            sync_run(connection=connection)
        except Exception:
            logger.exception("ERPNext %s: загрузка прервана", connection.code)
        finally:
            cache.delete(key)
