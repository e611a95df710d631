"""Определение места по IP-адресу через базу в формате MaxMind DB (GeoLite2-City, GeoIP2-City).

Читатель базы открывается один раз на процесс (geoip2.database.Reader потокобезопасен) и
переоткрывается, когда файл базы заменили (geoipupdate кладёт новый файл атомарно): время
изменения файла проверяется не чаще раза в REGIONS_GEOIP_RELOAD_SECONDS.
"""

import logging
import os
import threading
import time
from dataclasses import dataclass

import geoip2.database
import geoip2.errors
import maxminddb

from core.client_ip import client_ip_get
from regions.conf import setting

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GeoIpPlace:
    """Место по базе GeoIP: страна, субъекты (крупный → мелкий) и названия города на всех языках."""

    country_code: str
    subdivision_codes: tuple  # полные коды ISO 3166-2: RU-MOW
    city_names: frozenset  # в нижнем регистре, на всех языках базы


class GeoIpLocator:
    """Искать место по IP в базе MaxMind; без базы — молча ничего не находить."""

    def __init__(self, path, *, reload_seconds=60):
        self.path = str(path or "")
        self.reload_seconds = reload_seconds
        self._reader = None
        self._mtime = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._missing_logged = False

    def _open_if_changed(self):
        now = time.monotonic()
        if self._reader is not None and now - self._checked_at < self.reload_seconds:
            return self._reader
        with self._lock:
            self._checked_at = now
            try:
                mtime = os.stat(self.path).st_mtime
            except OSError:
                if not self._missing_logged:
                    logger.warning(
                        "База GeoIP не найдена: %s — регион по IP не определяется.", self.path or "(не задана)"
                    )
                    self._missing_logged = True
                self._close()
                return None
            if self._reader is None or mtime != self._mtime:
                self._close()
                try:
                    self._reader = geoip2.database.Reader(self.path, locales=["ru", "en"])
                except (OSError, maxminddb.InvalidDatabaseError, ValueError):
                    logger.exception("База GeoIP %s не открывается — регион по IP не определяется.", self.path)
                    return None
                self._mtime = mtime
                self._missing_logged = False
            return self._reader

    def _close(self):
        if self._reader is not None:
            self._reader.close()
        self._reader = None
        self._mtime = None

    def locate(self, ip):
        """Вернуть GeoIpPlace для адреса или None: адреса нет в базе, адрес неверный, базы нет."""
        if not self.path:
            return None
        reader = self._open_if_changed()
        if reader is None:
            return None
        try:
            response = reader.city(ip)
        except (geoip2.errors.AddressNotFoundError, ValueError):
            return None
        except TypeError:
            # База не городского типа (например, GeoLite2-Country): reader.city() её не читает.
            logger.error("База GeoIP %s не городская: нужна GeoLite2-City или GeoIP2-City.", self.path)
            return None
        country = response.country.iso_code or ""
        subdivisions = tuple(
            f"{country}-{subdivision.iso_code}".upper()
            for subdivision in response.subdivisions
            if subdivision.iso_code and country
        )
        city_names = frozenset(name.casefold() for name in (response.city.names or {}).values())
        return GeoIpPlace(country_code=country.upper(), subdivision_codes=subdivisions, city_names=city_names)


_locator = None


def locator():
    """Вернуть общий для процесса GeoIpLocator по настройкам."""
    global _locator
    if _locator is None:
        _locator = GeoIpLocator(
            setting("REGIONS_GEOIP_DATABASE"), reload_seconds=int(setting("REGIONS_GEOIP_RELOAD_SECONDS"))
        )
    return _locator


def locator_reset():
    """Забыть открытую базу (для тестов и смены настроек)."""
    global _locator
    if _locator is not None:
        _locator._close()
    _locator = None


def client_ip(request):
    """Вернуть IP посетителя через общий для проекта core.client_ip (доверенные прокси — TRUSTED_PROXIES)."""
    return client_ip_get(request)
