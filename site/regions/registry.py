"""Снимок активных регионов в памяти процесса, сверяемый с версией в общем кэше.

Регион определяется на каждом запросе, поэтому чтение регионов не должно ходить в базу.
Процесс держит неизменяемый снимок, а в кэше Django (Redis) лежит только его версия —
короткая строка. Сохранение или удаление региона меняет версию (signals.py), и каждый
процесс перечитывает регионы одним запросом. Версию процесс сверяет не на каждом запросе,
а не чаще раза в REGIONS_REGISTRY_CHECK_SECONDS (по умолчанию 1 с): в тёплом состоянии
определение региона не стоит ни SQL-запроса, ни обращения к Redis, а правка региона доходит
до других процессов за это время (в процессе, где её сделали, — сразу).
"""

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache

from regions.conf import setting
from regions.models import Region

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_snapshot = None
# Когда (time.monotonic) версия снимка последний раз совпала с версией в кэше.
_checked_at = 0.0


@dataclass(frozen=True)
class RegionRegistry:
    """Неизменяемый снимок активных регионов с готовыми индексами для резолверов.

    Объекты Region в нём общие для всех запросов процесса: их нельзя изменять и сохранять.
    """

    version: str
    regions: tuple
    by_code: dict = field(default_factory=dict)
    by_subfolder: dict = field(default_factory=dict)
    by_subdomain: dict = field(default_factory=dict)
    by_geoip_code: dict = field(default_factory=dict)
    by_geoip_city: dict = field(default_factory=dict)
    default: object = None
    loaded_at: float = field(default_factory=time.monotonic)

    @classmethod
    def build(cls, *, version, regions):
        """Построить снимок и индексы из списка активных регионов (в порядке sort_order)."""
        registry = cls(version=version, regions=tuple(regions))
        for region in regions:
            registry.by_code[region.code] = region
            if region.subfolder:
                registry.by_subfolder[region.subfolder] = region
            if region.subdomain:
                registry.by_subdomain[region.subdomain] = region
            # При пересечении правил выигрывает регион, стоящий раньше по порядку.
            for code in region.geoip_code_list:
                registry.by_geoip_code.setdefault(code, region)
            for city in region.geoip_city_list:
                registry.by_geoip_city.setdefault(city, region)
            if region.is_default:
                object.__setattr__(registry, "default", region)
        return registry


# Сколько секунд доверять снимку, пока кэш недоступен (версию узнать негде).
CACHE_DOWN_SNAPSHOT_SECONDS = 10


def _current_version():
    """Вернуть версию снимка из кэша или None, если кэш недоступен."""
    key = setting("REGIONS_CACHE_VERSION_KEY")
    try:
        version = cache.get(key)
        if version is None:
            # Кэш очищен или ещё пуст: заводим версию; add() не перетирает чужую, записанную параллельно.
            cache.add(key, uuid.uuid4().hex, timeout=None)
            version = cache.get(key)
    except Exception:  # любой отказ кэша: регион должен определяться и без Redis
        logger.warning("Кэш недоступен: снимок регионов сверяется по времени, а не по версии.", exc_info=True)
        return None
    return version


def region_registry():
    """Вернуть актуальный снимок регионов, перечитав их из базы, только если версия изменилась.

    Если кэш недоступен, снимок живёт CACHE_DOWN_SNAPSHOT_SECONDS, а затем перечитывается:
    запросы продолжают работать, а изменения регионов доходят с задержкой в секунды.
    """
    global _snapshot, _checked_at
    snapshot = _snapshot
    now = time.monotonic()
    if snapshot is not None and now - _checked_at < setting("REGIONS_REGISTRY_CHECK_SECONDS"):
        return snapshot
    # Версию читаем до базы: если регион изменят во время чтения, снимок получит старую
    # версию и перечитается на следующем запросе, а не застрянет устаревшим.
    version = _current_version()
    if snapshot is not None:
        if version is not None and snapshot.version == version:
            _checked_at = now
            return snapshot
        if version is None and time.monotonic() - snapshot.loaded_at < CACHE_DOWN_SNAPSHOT_SECONDS:
            return snapshot

    with _lock:
        regions = list(Region.objects.filter(is_active=True).order_by("sort_order", "code"))
        _snapshot = RegionRegistry.build(version=version or f"uncached-{uuid.uuid4().hex}", regions=regions)
        # Без кэша снимок живёт по loaded_at (выше), а не по времени сверки.
        _checked_at = now if version is not None else 0.0
        return _snapshot


def region_registry_invalidate():
    """Сменить версию снимка: этот процесс перечитает регионы на следующем запросе, остальные —
    при следующей сверке с кэшем (не позже REGIONS_REGISTRY_CHECK_SECONDS)."""
    global _snapshot
    _snapshot = None
    try:
        cache.set(setting("REGIONS_CACHE_VERSION_KEY"), uuid.uuid4().hex, timeout=None)
    except Exception:  # без кэша другие процессы узнают об изменении по времени
        logger.warning("Кэш недоступен: версия снимка регионов не обновлена.", exc_info=True)
