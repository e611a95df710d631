"""Потолок заявок «перезвоните мне» с одного адреса клиента (CRM_REQUESTS_RATE)."""

from core.throttling import FixedWindowRateThrottle


class CrmRequestIpRateThrottle(FixedWindowRateThrottle):
    """Ограничить заявки с одного адреса, для IPv6 — с одной сети /64."""

    scope = "crm-request-ip"
    rate_setting = "CRM_REQUESTS_RATE"

    def get_cache_key(self, request, view):
        return f"throttle:{self.scope}:{self.client_network(request)}"
