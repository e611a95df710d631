"""Панель «Заказы» на главной админки: новые и неоплаченные, последние десять, статусы за сегодня."""

from datetime import datetime, time

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commerce.orders.models import Order, PaymentMethod
from commerce.orders.status import OrderStatus
from staff.dashboard import DashboardPanel, dashboard_panel_register

LATEST_COUNT = 10


def _today_start():
    """Начало сегодняшнего дня в часовом поясе магазина (TIME_ZONE), как aware datetime."""
    today = timezone.localdate()
    return timezone.make_aware(datetime.combine(today, time.min))


def orders_dashboard_summary():
    """Собрать данные панели заказов четырьмя запросами.

    «Новые» — в статусе «новый»; «не оплачены» — онлайн-оплата, ещё не оплаченные (новый или
    ожидает оплаты); «последние» — десять самых свежих из тех и других.
    """
    waiting = Order.objects.filter(status__in=[OrderStatus.NEW, OrderStatus.AWAITING_PAYMENT])
    unpaid = waiting.filter(payment_method=PaymentMethod.ONLINE, paid_at__isnull=True)
    counts = Order.objects.filter(created_at__gte=_today_start()).values("status").annotate(total=Count("id"))
    by_status = {row["status"]: row["total"] for row in counts}
    return {
        "new_count": Order.objects.filter(status=OrderStatus.NEW).count(),
        "unpaid_count": unpaid.count(),
        "latest": list(waiting.select_related("region").order_by("-created_at", "-id")[:LATEST_COUNT]),
        "today": [(status, by_status[status.value]) for status in OrderStatus if status.value in by_status],
    }


@dashboard_panel_register
class OrdersPanel(DashboardPanel):
    """Заказы, которые ждут менеджера: видна с правом просмотра заказов."""

    name = "shop_orders"
    order = 10
    permissions = ("orders.view_order",)
    template_name = "orders/admin/dashboard_panel.html"
    title = _("Заказы")

    def get_context_data(self, parent_context):
        return {"summary": orders_dashboard_summary(), "today": timezone.localdate()}
