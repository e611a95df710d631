"""Платежи в Wagtail admin: только чтение (история неизменна) и возврат с подтверждением.

Платёж, событие и возврат меняют только сервисы платежей: права add/change/delete в админке
отключены политикой ReadOnlyPermissionPolicy, а возврат — отдельное действие с правом
payments.refund_payment.
"""

from django import forms
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views.generic.models import InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from commerce.payments.admin_views import payment_refund_view
from commerce.payments.models import Payment, PaymentEvent, RegionPaymentProvider
from commerce.payments.providers.registry import enabled_provider_codes
from staff.admin_columns import list_display_with_icons


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Разрешить только просмотр: журнал и платежи правятся лишь сервисами."""

    WRITE_ACTIONS = frozenset({"add", "change", "delete", "copy"})

    def user_has_permission(self, user, action):
        if action in self.WRITE_ACTIONS:
            return False
        return super().user_has_permission(user, action)


for read_only_model in (Payment, PaymentEvent):
    register_permission_policy(read_only_model, ReadOnlyPermissionPolicy(read_only_model))


def refund_url(payment):
    """Адрес формы возврата — только если по платежу есть что возвращать."""
    if payment.refundable_amount <= 0:
        return None
    return reverse("payments_payment_refund", args=[payment.pk])


class PaymentInspectView(InspectView):
    """Карточка платежа с кнопкой «Вернуть деньги» в шапке."""

    @cached_property
    def header_buttons(self):
        url = refund_url(self.object)
        if url is None or not self.request.user.has_perm("payments.refund_payment"):
            return []
        return [HeaderButton(_("Вернуть деньги"), url=url, icon_name="undo")]


class PaymentViewSet(ModelViewSet):
    model = Payment
    icon = "form"
    menu_label = _("Платежи")
    url_prefix = "payments/payment"
    url_namespace = "wagtail_payments_payment"
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = PaymentInspectView
    # Форма не открывается никому (ReadOnlyPermissionPolicy), но Wagtail требует её описать.
    exclude_form_fields = []
    list_display = [
        "order",
        "provider",
        "status",
        "amount",
        "refunded_amount",
        "needs_review",
        "created_at",
        TitleColumn("refundable_amount", label=_("Можно вернуть"), get_url=refund_url),
    ]
    list_filter = ["status", "provider", "needs_review", "created_at"]
    search_fields = ["provider_payment_id", "order__number"]
    inspect_view_fields = [
        "order",
        "provider",
        "status",
        "amount",
        "currency",
        "refunded_amount",
        "provider_payment_id",
        "confirmation_url",
        "needs_review",
        "review_reason",
        "last_synced_at",
        "created_at",
        "updated_at",
    ]


class PaymentEventViewSet(ModelViewSet):
    model = PaymentEvent
    icon = "history"
    menu_label = _("Журнал платежей")
    url_prefix = "payments/event"
    url_namespace = "wagtail_payments_event"
    copy_view_enabled = False
    inspect_view_enabled = True
    exclude_form_fields = []
    list_display = ["created_at", "payment", "provider", "kind", "code", "from_status", "to_status", "source_ip"]
    list_filter = ["kind", "provider", "created_at"]
    search_fields = ["code", "payment__provider_payment_id", "payment__order__number"]
    inspect_view_fields = [
        "created_at",
        "payment",
        "provider",
        "kind",
        "code",
        "from_status",
        "to_status",
        "source_ip",
        "actor",
        "payload",
    ]


PROVIDER_LABELS = {
    "cash_on_delivery": _("Оплата при получении"),
    "test": _("Тестовая оплата"),
    "yookassa": _("ЮKassa"),
}


class RegionPaymentProviderForm(WagtailAdminModelForm):
    """Провайдер — выбор из включённых в PAYMENTS_PROVIDERS, а не свободный текст с опечатками."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = enabled_provider_codes()
        current = self.instance.provider
        if current and current not in codes:
            codes.append(current)  # выключенный провайдер старой строки остаётся видимым
        self.fields["provider"] = forms.ChoiceField(
            label=_("провайдер"),
            choices=[(code, PROVIDER_LABELS.get(code, code)) for code in codes],
        )

    class Meta:
        model = RegionPaymentProvider
        fields = ["region", "provider", "is_enabled", "sort_order"]


class RegionPaymentProviderViewSet(ModelViewSet):
    model = RegionPaymentProvider
    icon = "site"
    menu_label = _("Способы оплаты в регионах")
    url_prefix = "payments/region-provider"
    url_namespace = "wagtail_payments_region_provider"
    list_display = list_display_with_icons(RegionPaymentProvider, ["region", "provider", "is_enabled", "sort_order"])
    list_filter = ["region", "provider", "is_enabled"]

    def get_form_class(self, for_update=False):
        return RegionPaymentProviderForm


class PaymentsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Платежи")
    menu_icon = "form"
    menu_order = 310
    items = (PaymentViewSet, PaymentEventViewSet, RegionPaymentProviderViewSet)


@hooks.register("register_admin_viewset")
def register_payments_viewsets():
    return PaymentsViewSetGroup()


@hooks.register("register_admin_urls")
def register_refund_url():
    return [path("payments/payment/refund/<int:pk>/", payment_refund_view, name="payments_payment_refund")]
