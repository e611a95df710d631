"""Платежи в админке Django: только чтение; возврат — в Wagtail admin (с подтверждением)."""

from django.contrib import admin

from commerce.payments.models import Payment, PaymentEvent, Refund, RegionPaymentProvider


class ReadOnlyAdminMixin:
    """Записи меняют только сервисы платежей: в админке — просмотр."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PaymentEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PaymentEvent
    fields = ["created_at", "kind", "code", "from_status", "to_status", "source_ip", "actor"]
    readonly_fields = fields
    extra = 0


class RefundInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Refund
    fields = ["created_at", "amount", "reason", "status", "provider_refund_id", "created_by"]
    readonly_fields = fields
    extra = 0


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "order", "provider", "status", "amount", "refunded_amount", "needs_review", "created_at"]
    list_filter = ["status", "provider", "needs_review"]
    search_fields = ["provider_payment_id", "order__number"]
    list_select_related = ["order"]
    inlines = [RefundInline, PaymentEventInline]


@admin.register(PaymentEvent)
class PaymentEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "payment", "provider", "kind", "code", "from_status", "to_status", "source_ip"]
    list_filter = ["kind", "provider"]
    search_fields = ["code", "payment__provider_payment_id"]
    list_select_related = ["payment"]


@admin.register(RegionPaymentProvider)
class RegionPaymentProviderAdmin(admin.ModelAdmin):
    list_display = ["region", "provider", "is_enabled", "sort_order"]
    list_filter = ["region", "is_enabled"]
