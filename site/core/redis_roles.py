"""Кэш роли «блокировки и лимиты» (CACHES["locks"], REDIS_LOCKS_URL).

Лимиты частоты и блокировки живут в своём Redis: кэш может терять данные и глотать ошибки
(REDIS_CACHE_IGNORE_ERRORS), а счётчик попыток входа — нет. Без отдельного адреса это тот же
Redis, что у кэша; без Redis — тот же кэш процесса.
"""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

# Прокси, как django.core.cache.cache: в каждом потоке — своё соединение.
locks_cache = ConnectionProxy(caches, "locks")
