"""Чтения коннектора amoCRM: заказ со всем, что нужно сделке, адреса заказа в админке и вебхуков."""

from django.conf import settings
from django.urls import reverse

from commerce.orders.models import Order


def order_for_lead(*, order_id):
    """Заказ с регионом, покупателем и строками одним набором запросов или None."""
    return Order.objects.select_related("region", "user").prefetch_related("lines").filter(pk=order_id).first()


def order_admin_url(order):
    """Полный адрес заказа в Wagtail admin (для поля сделки «ссылка на заказ»)."""
    path = reverse("wagtailsnippets_orders_order:edit", args=[order.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def webhook_url(connection):
    """Полный адрес, на который amoCRM шлёт вебхуки этого подключения (с секретным токеном)."""
    path = reverse("integrations_core:hook", args=[connection.code, connection.webhook_token])
    return settings.WAGTAILAPI_BASE_URL.rstrip("/") + path
