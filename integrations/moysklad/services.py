"""Записи коннектора МоегоСклада, которые запускает расписание: проход по всем подключениям."""

import logging

from django.conf import settings
from django.core.cache import cache

from integrations.core.models import Connection
from integrations.core.sync import sync_run

logger = logging.getLogger(__name__)


def connections_sync(*, full=False):
    """Выполнить синхронизацию каждого включённого подключения МоегоСклада; вернуть число проходов.

    Подключение, чей проход ещё идёт (другой воркер, ручной запуск), пропускается: блокировка —
    ключ в кэше (Redis) на MOYSKLAD_SYNC_LOCK_SECONDS. Ошибка одного подключения не мешает
    остальным: она уже записана в журнал синхронизаций.
    """
    done = 0
    for connection in Connection.objects.filter(system="moysklad", enabled=True):
        key = f"integrations:moysklad:sync:{connection.pk}"
        if not cache.add(key, 1, timeout=settings.MOYSKLAD_SYNC_LOCK_SECONDS):
            logger.info("МойСклад %s: проход уже идёт — пропущен", connection.code)
            continue
        try:
            sync_run(connection=connection, full=full)
            done += 1
        except Exception:
            logger.exception("МойСклад %s: синхронизация прервана", connection.code)
        finally:
            cache.delete(key)
    return done
