"""Действия менеджера с платежом в Wagtail admin: возврат с подтверждением."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException

from commerce.payments import services
from commerce.payments.models import Payment


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=_("Сумма возврата, ₽"), min_value=Decimal("0.01"), decimal_places=2)
    reason = forms.CharField(label=_("Причина (увидит покупатель в чеке возврата)"), max_length=250)
    confirm = forms.BooleanField(
        label=_("Подтверждаю: деньги вернутся покупателю, отменить возврат будет нельзя"), required=True
    )

    def __init__(self, *args, payment, **kwargs):
        super().__init__(*args, **kwargs)
        self.payment = payment
        self.fields["amount"].max_value = payment.refundable_amount
        self.fields["amount"].initial = payment.refundable_amount

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount > self.payment.refundable_amount:
            raise forms.ValidationError(
                _("Вернуть можно не больше %(rest)s ₽.") % {"rest": self.payment.refundable_amount}
            )
        return amount


@permission_required("payments.refund_payment", raise_exception=True)
def payment_refund_view(request, pk):
    """Оформить возврат по платежу: форма → подтверждение → вызов провайдера."""
    payment = get_object_or_404(Payment.objects.select_related("order"), pk=pk)
    inspect_url = reverse("wagtail_payments_payment:inspect", args=[payment.pk])
    if payment.refundable_amount <= 0:
        messages.error(request, _("По этому платежу нечего возвращать."))
        return redirect(inspect_url)
    form = RefundForm(request.POST or None, payment=payment)
    if request.method == "POST" and form.is_valid():
        try:
            services.refund_create(
                payment=payment,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except APIException as error:
            messages.error(request, str(error.detail))
        else:
            messages.success(request, _("Возврат оформлен."))
            return redirect(inspect_url)
    return TemplateResponse(
        request, "payments/admin/refund.html", {"payment": payment, "form": form, "inspect_url": inspect_url}
    )
