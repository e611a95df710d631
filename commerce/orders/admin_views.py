"""Экран смены статуса заказа в Wagtail admin: заказ, история и форма «новый статус + комментарий»."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commerce.orders import selectors as order_selectors
from commerce.orders import services
from commerce.orders.exceptions import OrderTransitionNotAllowed
from commerce.orders.models import Order
from commerce.orders.status import OrderStatus


class OrderStatusForm(forms.Form):
    """Новый статус (только разрешённые из текущего) и комментарий в историю."""

    to_status = forms.ChoiceField(label=gettext_lazy("Новый статус"))
    comment = forms.CharField(
        label=gettext_lazy("Комментарий"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Попадёт в историю и в уведомление покупателю."),
    )

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(status.value, status.label) for status in admin_transitions(order)]


def admin_transitions(order):
    """Вернуть переходы, которые менеджеру есть смысл предлагать (правило — в selectors.order_transitions_offered)."""
    return order_selectors.order_transitions_offered(order=order)


ORDER_STATUS_PERMISSION = "orders.change_order_status"


def order_status_view(request, pk):
    """Показать заказ с историей и сменить его статус (нужно право orders.change_order_status).

    Смотреть историю можно с правом просмотра заказов (orders.view_order), менять статус —
    только с отдельным правом: правка контактов заказа (orders.change_order) его не даёт.
    """
    can_change = request.user.has_perm(ORDER_STATUS_PERMISSION)
    if not (can_change or request.user.has_perm("orders.view_order")):
        raise PermissionDenied
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    order = get_object_or_404(
        Order.objects.select_related("region", "pickup_warehouse").prefetch_related(
            "lines", "history__changed_by", "payments"
        ),
        pk=pk,
    )
    form = OrderStatusForm(request.POST or None, order=order)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_status_change(
                order=order,
                to_status=form.cleaned_data["to_status"],
                actor=request.user,
                comment=form.cleaned_data["comment"],
            )
        except OrderTransitionNotAllowed as error:
            form.add_error("to_status", str(error.detail))
        else:
            messages.success(
                request,
                _("Заказ %(number)s: статус «%(status)s».")
                % {"number": order.number, "status": OrderStatus(form.cleaned_data["to_status"]).label},
            )
            return redirect("orders_order_status", pk=order.pk)
    return TemplateResponse(
        request,
        "orders/admin/order_status.html",
        {
            "order": order,
            "form": form if can_change else None,
            "history": order.history.all(),
            "lines": order.lines.all(),
            "payments": order.payments.all(),
            "can_view_payments": request.user.has_perm("payments.view_payment"),
        },
    )
