"""Заказы в Django admin (/django-admin/): только чтение и выгрузка в таблицу (django-import-export)."""

from django.contrib import admin
from import_export import fields, resources
from import_export.admin import ExportMixin

from commerce.orders.export import ORDER_EXPORT_FIELDS
from commerce.orders.models import NotificationTemplate, Order, OrderLine, OrderLineChange, OrderStatusChange


class OrderResource(resources.ModelResource):
    """Выгрузка заказов: шапка и строки одной ячейкой «артикул × количество»."""

    region = fields.Field(attribute="region__code", column_name="region")
    lines = fields.Field(column_name="lines")

    class Meta:
        model = Order
        fields = (*ORDER_EXPORT_FIELDS, "lines")
        export_order = fields

    def dehydrate_lines(self, order):
        return "; ".join(f"{line.sku} × {line.quantity}" for line in order.lines.all())

    def get_export_queryset(self, request):
        return Order.objects.select_related("region").prefetch_related("lines")


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = ["sku", "product_name", "variant_name", "unit_price", "quantity", "line_total", "variant"]


class OrderStatusChangeInline(admin.TabularInline):
    model = OrderStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "from_status", "to_status", "changed_by", "comment"]


class OrderLineChangeInline(admin.TabularInline):
    """Правки строк заказа (commerce.orders.line_edits): сотрудник или 1С, что изменилось, итог до и после."""

    model = OrderLineChange
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "changed_by", "comment", "changes", "total_before", "total"]


@admin.register(Order)
class OrderAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [OrderResource]
    list_display = ["number", "status", "region", "contact_name", "total", "created_at"]
    list_filter = ["status", "region", "created_at"]
    search_fields = ["number", "contact_name", "contact_phone", "contact_email"]
    inlines = [OrderLineInline, OrderStatusChangeInline, OrderLineChangeInline]
    list_select_related = ["region"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Статус меняется только через Wagtail admin (services.order_status_change).
        return False


admin.site.register(NotificationTemplate)
