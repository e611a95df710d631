"""Адрес клиента запроса с учётом доверенных прокси — один для всех приложений.

Нужен лимитам (аккаунты), GeoIP (регионы) и проверке источника уведомлений (платежи).
X-Forwarded-For учитывается, только если запрос пришёл от доверенного прокси (TRUSTED_PROXIES):
иначе клиент подделал бы адрес, обошёл лимиты или выдал себя за платёжный шлюз.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


@lru_cache(maxsize=1)
def trusted_proxy_networks():
    """Разобрать TRUSTED_PROXIES в сети (адрес без маски — сеть из одного адреса)."""
    networks = []
    for value in settings.TRUSTED_PROXIES:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: «{value}» — не IP-адрес и не сеть (пример: 10.0.0.0/8, ::1)."
            ) from error
    return tuple(networks)


@receiver(setting_changed)
def _reset_on_setting_change(*, setting, **kwargs):
    if setting == "TRUSTED_PROXIES":
        trusted_proxy_networks.cache_clear()


def _parse_ip(value):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except (ValueError, AttributeError):
        return None


def _is_trusted(address, networks):
    return any(address in network for network in networks)


def client_ip_get(request):
    """Вернуть IP клиента строкой (или None, если адреса нет).

    Цепочка X-Forwarded-For читается справа налево: правые адреса дописали наши прокси,
    первый недоверенный адрес — клиент. Всё левее него мог подделать сам клиент, поэтому
    дальше не читаем; мусор в цепочке — берём последний надёжный адрес.
    """
    remote = _parse_ip(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    networks = trusted_proxy_networks()
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    forwarded = [item for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    for item in reversed(forwarded):
        address = _parse_ip(item)
        if address is None:
            return str(remote)
        if not _is_trusted(address, networks):
            return str(address)
        remote = address
    return str(remote)


def client_ip_limit_key(address):
    """Вернуть ключ лимита для адреса: сам адрес IPv4, сеть /64 для IPv6.

    Клиенту IPv6 обычно выдают целую /64: считая отдельные адреса, лимит обошёл бы любой,
    кто меняет последние 64 бита. Пустой или нераспознанный адрес — «unknown».
    """
    parsed = _parse_ip(address or "")
    if parsed is None:
        return "unknown"
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def client_network_get(request):
    """Вернуть ключ лимита для адреса клиента запроса (см. client_ip_limit_key), с учётом прокси."""
    return client_ip_limit_key(client_ip_get(request))
