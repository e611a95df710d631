"""Потолки оформления заказа: с одного IP и на один телефон контакта.

Без них один клиент мог оформлять заказы без остановки и держать весь остаток товара
в резервах (issue 20). Считается каждый запрос оформления, удачный или нет.
"""

from commerce.orders.selectors import phone_normalize
from core.throttling import FixedWindowRateThrottle


class CheckoutIpRateThrottle(FixedWindowRateThrottle):
    """Ограничить оформления с одного адреса клиента, для IPv6 — с одной сети /64 (ORDERS_CHECKOUT_RATE_IP)."""

    scope = "checkout-ip"
    rate_setting = "ORDERS_CHECKOUT_RATE_IP"

    def get_cache_key(self, request, view):
        return f"throttle:{self.scope}:{self.client_network(request)}"


class CheckoutPhoneRateThrottle(FixedWindowRateThrottle):
    """Ограничить оформления на один телефон контакта (ORDERS_CHECKOUT_RATE_PHONE).

    Телефон приводится к E.164: «+7 916 123-45-67» и «89161234567» — один и тот же счётчик.
    Тело без разборчивого телефона не считается: такой запрос отклонит проверка полей.
    """

    scope = "checkout-phone"
    rate_setting = "ORDERS_CHECKOUT_RATE_PHONE"

    def get_cache_key(self, request, view):
        data = request.data
        contact = data.get("contact") if isinstance(data, dict) else None
        raw = contact.get("phone") if isinstance(contact, dict) else None
        if not isinstance(raw, str) or not raw.strip():
            return None
        phone = phone_normalize(raw)
        if phone is None:
            return None
        return f"throttle:{self.scope}:{phone}"
