"""Ограничители частоты DRF, которые узнают клиента через api.client_ip.

Стандартный get_ident DRF при NUM_PROXIES=None берёт адрес из X-Forwarded-For любого
запроса — клиент обошёл бы лимит, меняя заголовок. Наши ограничители верят заголовку
только от доверенных прокси (TRUSTED_PROXIES).
"""

from rest_framework.throttling import ScopedRateThrottle

from api.client_ip import client_ip_get


class ClientIpScopedRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle с адресом клиента из api.client_ip."""

    def get_ident(self, request):
        return client_ip_get(request) or "unknown"
