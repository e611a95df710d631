"""Машина статусов заказа: все разрешённые переходы — в одной таблице TRANSITIONS.

    new → awaiting_payment → paid → assembling → shipped → delivered → completed
    отмена (cancelled) — до отгрузки; возврат (returned) — после отгрузки.

Заказ с оплатой при получении идёт new → assembling без paid: перевод в «собирается» —
это подтверждение менеджером (до него резерв истекает через ORDERS_COD_RESERVATION_HOURS),
резерв списывается при отгрузке. Побочные действия переходов (резервы, уведомления) — в services.order_status_change.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    NEW = "new", _("новый")
    AWAITING_PAYMENT = "awaiting_payment", _("ожидает оплаты")
    PAID = "paid", _("оплачен")
    ASSEMBLING = "assembling", _("собирается")
    SHIPPED = "shipped", _("отгружен")
    DELIVERED = "delivered", _("доставлен")
    COMPLETED = "completed", _("выполнен")
    CANCELLED = "cancelled", _("отменён")
    RETURNED = "returned", _("возвращён")


S = OrderStatus

TRANSITIONS = {
    S.NEW: {S.AWAITING_PAYMENT, S.PAID, S.ASSEMBLING, S.CANCELLED},
    S.AWAITING_PAYMENT: {S.PAID, S.CANCELLED},
    S.PAID: {S.ASSEMBLING, S.CANCELLED},
    S.ASSEMBLING: {S.SHIPPED, S.CANCELLED},
    S.SHIPPED: {S.DELIVERED, S.RETURNED},
    S.DELIVERED: {S.COMPLETED, S.RETURNED},
    S.COMPLETED: {S.RETURNED},
    S.CANCELLED: set(),
    S.RETURNED: set(),
}

# Покупатель сам отменяет заказ только до оплаты; дальше — через менеджера.
CUSTOMER_CANCELLABLE = {S.NEW, S.AWAITING_PAYMENT}
# Статусы, в которых резерв истекает по сроку: онлайн-заказ ждёт оплаты, заказ с оплатой
# при получении — подтверждения менеджером (перевода в «собирается»).
AWAITING_PAYMENT_STATUSES = {S.NEW, S.AWAITING_PAYMENT}
# Товар уже у покупателя или в пути: отмена невозможна, только возврат.
SHIPPED_STATUSES = {S.SHIPPED, S.DELIVERED, S.COMPLETED, S.RETURNED}


def transition_allowed(*, from_status, to_status):
    """Разрешён ли переход from_status → to_status."""
    return to_status in TRANSITIONS.get(from_status, set())


def transitions_from(status):
    """Статусы, в которые можно перейти из status (в порядке объявления)."""
    allowed = TRANSITIONS.get(status, set())
    return [choice for choice in OrderStatus if choice in allowed]
