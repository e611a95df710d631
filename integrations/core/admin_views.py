"""Действия в Wagtail admin: «Проверить соединение» и «Повторить» недоставленные события."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from integrations.core import services
from integrations.core.models import Connection, Delivery, DeliveryState
from integrations.core.outbox import deliveries_retry

UNDELIVERED = (DeliveryState.PENDING, DeliveryState.DEAD)


@permission_required("integrations_core.change_connection", raise_exception=True)
def connection_check_view(request, pk):
    """Проверить соединение настоящим запросом (по POST) и показать понятное сообщение."""
    connection = get_object_or_404(Connection, pk=pk)
    edit_url = reverse("wagtail_integrations_connection:edit", args=[connection.pk])
    result = None
    if request.method == "POST":
        result = services.connection_check(connection=connection)
        (messages.success if result.ok else messages.error)(request, result.message)
    return TemplateResponse(
        request,
        "integrations_core/admin/check.html",
        {"connection": connection, "result": result, "edit_url": edit_url},
    )


@permission_required("integrations_core.change_delivery", raise_exception=True)
def delivery_retry_view(request, pk=None, connection_pk=None):
    """«Повторить»: подтверждение (GET), затем повтор одной доставки или всех недоставленных подключения (POST)."""
    if pk is not None:
        delivery = get_object_or_404(Delivery.objects.select_related("event", "connection"), pk=pk)
        queryset, subject = Delivery.objects.filter(pk=delivery.pk), str(delivery)
    else:
        connection = get_object_or_404(Connection, pk=connection_pk)
        queryset, subject = Delivery.objects.filter(connection=connection), connection.code
    index_url = reverse("wagtail_integrations_delivery:index")
    if request.method == "POST":
        count = deliveries_retry(queryset=queryset)
        messages.success(request, _("Поставлено на повтор: %(count)s.") % {"count": count})
        return redirect(index_url)
    return TemplateResponse(
        request,
        "integrations_core/admin/retry.html",
        {"subject": subject, "waiting": queryset.filter(state__in=UNDELIVERED).count(), "index_url": index_url},
    )
