"""Чтения коннектора МоегоСклада."""

from commerce.orders.models import Order


def order_for_push(*, order_id):
    """Заказ со строками (одним набором запросов) для передачи в МойСклад или None."""
    return Order.objects.select_related("region").prefetch_related("lines").filter(pk=order_id).first()
