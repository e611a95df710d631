"""Заказы в Wagtail admin: список с фильтрами и выгрузкой в таблицу, смена статуса с историей, шаблоны уведомлений.

Заказ не создаётся и не удаляется из админки (только оформлением и только отменой):
политика прав разрешает менеджерам лишь просмотр и правку контактов и адреса.
Статус меняется отдельным экраном через services.order_status_change — так соблюдаются
таблица переходов, резервы и история; для этого нужно право orders.change_order_status
(правка контактов — orders.change_order — его не даёт).
"""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from commerce.orders import admin_panels  # noqa: F401 — регистрирует панель на главной
from commerce.orders.admin_views import ORDER_STATUS_PERMISSION, order_status_view
from commerce.orders.export import ORDER_EXPORT_FIELDS
from commerce.orders.models import NotificationTemplate, Order, PickupPoint, RegionDeliveryMethod


class OrderPermissionPolicy(ModelPermissionPolicy):
    """Права Django на заказы, но без создания и удаления из админки."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def order_payment_status(order):
    """Статус последнего платежа заказа («—», если платежей нет); платежи — из prefetch."""
    payments = sorted(order.payments.all(), key=lambda payment: (payment.created_at, payment.pk))
    return payments[-1].get_status_display() if payments else "—"


class OrderIndexView(IndexView):
    """Список заказов без отметок массовых действий: единственное из них — «Удалить» — заказам запрещено."""

    @cached_property
    def columns(self):
        return [column for column in super().columns if not isinstance(column, BulkActionsCheckboxColumn)]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        label = _("Статус и история") if self.request.user.has_perm(ORDER_STATUS_PERMISSION) else _("История статусов")
        buttons.append(
            MenuItem(
                label,
                url=reverse("orders_order_status", args=[instance.pk]),
                icon_name="history",
                priority=5,
            )
        )
        return buttons


class OrderViewSet(SnippetViewSet):
    model = Order
    icon = "list-ul"
    menu_label = _("Заказы")
    index_view_class = OrderIndexView
    index_template_name = "orders/admin/order_index.html"
    list_display = [
        "number",
        Column("status", label=_("статус"), accessor="get_status_display"),
        "region",
        Column("payment_method", label=_("оплата"), accessor="get_payment_method_display"),
        Column("payment_status", label=_("платёж"), accessor=order_payment_status),
        Column("delivery_method", label=_("доставка"), accessor="get_delivery_method_display"),
        "contact_name",
        "contact_phone",
        "total",
        "created_at",
        # Срок резерва: оплаты онлайн-заказа или подтверждения заказа с оплатой при получении.
        "reserved_until",
    ]
    list_filter = {"status": ["exact"], "region": ["exact"], "created_at": ["gte", "lte"], "payment_method": ["exact"]}
    search_fields = ["number", "contact_name", "contact_phone", "contact_email"]
    search_backend_name = None  # поиск по базе (ORM), без индекса Wagtail
    list_per_page = 50
    ordering = ["-created_at", "-id"]
    list_export = ORDER_EXPORT_FIELDS
    export_filename = "orders"
    inspect_view_enabled = True
    form_fields = ["contact_name", "contact_phone", "contact_email", "delivery_address", "comment"]

    def get_queryset(self, request):
        return Order.objects.select_related("region").prefetch_related("payments")


class NotificationTemplateViewSet(SnippetViewSet):
    model = NotificationTemplate
    icon = "mail"
    menu_label = _("Шаблоны уведомлений")
    list_display = ["status", "channel", "subject", "is_active"]
    list_filter = ["status", "channel", "is_active"]


class RegionDeliveryMethodViewSet(SnippetViewSet):
    """Способы доставки по регионам: цена, бесплатно от суммы, города, сроки (права orders.*_regiondeliverymethod)."""

    model = RegionDeliveryMethod
    icon = "site"
    menu_label = _("Способы доставки")
    list_display = ["region", "method", "name", "cost", "free_from", "is_enabled", "sort_order"]
    list_filter = {"region": ["exact"], "method": ["exact"], "is_enabled": ["exact"]}
    ordering = ["region", "sort_order", "method"]

    def get_queryset(self, request):
        return RegionDeliveryMethod.objects.select_related("region")


class PickupPointViewSet(SnippetViewSet):
    """Пункты самовывоза: часы, координаты, как найти; выключенный пункт не выдаёт заказы."""

    model = PickupPoint
    icon = "home"
    menu_label = _("Пункты самовывоза")
    list_display = ["warehouse", "hours", "is_enabled"]
    list_filter = {"is_enabled": ["exact"], "warehouse__region": ["exact"]}

    def get_queryset(self, request):
        return PickupPoint.objects.select_related("warehouse__region")


class OrdersGroup(SnippetViewSetGroup):
    menu_label = _("Заказы")
    menu_icon = "list-ul"
    menu_order = 150
    items = (OrderViewSet, NotificationTemplateViewSet, RegionDeliveryMethodViewSet, PickupPointViewSet)


register_permission_policy(Order, OrderPermissionPolicy(Order))
register_snippet(OrdersGroup)


@hooks.register("register_admin_urls")
def register_order_status_url():
    return [path("orders/status/<int:pk>/", order_status_view, name="orders_order_status")]
