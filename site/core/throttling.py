"""Ограничители частоты DRF, которые узнают клиента через core.client_ip.

Стандартный get_ident DRF при NUM_PROXIES=None берёт адрес из X-Forwarded-For любого
запроса — клиент обошёл бы лимит, меняя заголовок. Наши ограничители верят заголовку
только от доверенных прокси (TRUSTED_PROXIES).
"""

from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from core.client_ip import client_ip_get, client_network_get
from core.redis_roles import locks_cache


class ClientIpScopedRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle с адресом клиента из core.client_ip."""

    cache = locks_cache

    def get_ident(self, request):
        return client_ip_get(request) or "unknown"


class FixedWindowRateThrottle(SimpleRateThrottle):
    """Ограничить частоту запросов фиксированным окном с атомарным счётчиком в кэше.

    SimpleRateThrottle читает и перезаписывает список отметок времени без блокировки:
    N одновременных запросов видят одну историю и проходят все. Здесь каждый запрос
    увеличивает счётчик своего окна атомарно (INCR в Redis), поэтому потолок держится и
    под параллельной нагрузкой. Окно фиксированное: на стыке двух окон пройдёт не больше
    двух потолков подряд. Частота — из настройки ``rate_setting`` (формат DRF: «10/hour»)
    при каждом запросе; пустая строка выключает ограничитель. Подкласс задаёт
    ``scope`` (часть ключа кэша) и ``rate_setting`` и реализует ``get_cache_key``.
    """

    scope = ""
    rate_setting = ""
    # Счётчики — в Redis роли «блокировки и лимиты» (core.redis_roles), а не в кэше.
    cache = locks_cache

    def get_rate(self):
        return getattr(settings, self.rate_setting) or None

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        bucket = int(now // self.duration)
        self.wait_seconds = (bucket + 1) * self.duration - now
        window_key = f"{self.key}:{bucket}"
        timeout = int(self.wait_seconds) + 1
        self.cache.add(window_key, 0, timeout=timeout)
        try:
            hits = self.cache.incr(window_key)
        except ValueError:
            # Запись истекла между add и incr: окно только что сменилось.
            self.cache.set(window_key, 1, timeout=timeout)
            hits = 1
        return hits <= self.num_requests

    def wait(self):
        return self.wait_seconds

    def client_network(self, request):
        """Вернуть адрес клиента IPv4 или его сеть /64 для IPv6 (с учётом доверенных прокси)."""
        return client_network_get(request) or "unknown"
