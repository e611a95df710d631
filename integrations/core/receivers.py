"""Запись событий магазина в outbox — внутри транзакции изменения.

Сигналы заказов (commerce.orders.signals) приходят после COMMIT: событие, записанное там,
пропало бы при падении процесса между фиксацией и сигналом. Поэтому outbox слушает
``post_save`` записей, которые магазин создаёт в самой транзакции: запись истории статусов
заказа (создание, оплата, смена статуса, отмена), покупателя, остатка и цены, — и сигнал
``stocks_changed`` пачечного резерва остатков (оформление пишет остатки одной командой).
Массовые записи импорта каталога (bulk) ``post_save`` не вызывают — об их итогах
коннекторы узнают из своих синхронизаций.
"""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from commerce.inventory.models import Stock
from commerce.inventory.signals import stocks_changed
from commerce.orders.models import OrderStatusChange
from commerce.orders.status import OrderStatus
from commerce.pricing.models import VariantPrice
from integrations.core.outbox import outbox_event_add, outbox_events_add

# Сохранения покупателя, о которых внешним системам знать незачем.
_CUSTOMER_TECHNICAL_FIELDS = frozenset({"last_login", "password"})


def _order_payload(order, change):
    return {
        "id": order.pk,
        "number": order.number,
        "status": change.to_status,
        "from_status": change.from_status,
        "total": str(order.total),
        "currency": order.currency,
        "changed_at": change.created_at.isoformat() if getattr(change, "created_at", None) else None,
    }


@receiver(post_save, sender=OrderStatusChange, dispatch_uid="integrations_core_order_status")
def order_status_change_saved(sender, instance, created, **kwargs):
    """Записать события заказа по новой записи истории статусов."""
    if not created:
        return
    order = instance.order
    payload = _order_payload(order, instance)
    if instance.from_status == "":
        outbox_event_add(kind="order.created", object_type="order", object_id=order.pk, payload=payload)
        return
    outbox_event_add(kind="order.status_changed", object_type="order", object_id=order.pk, payload=payload)
    if instance.to_status == OrderStatus.PAID:
        outbox_event_add(kind="order.paid", object_type="order", object_id=order.pk, payload=payload)
    elif instance.to_status == OrderStatus.CANCELLED:
        outbox_event_add(kind="order.cancelled", object_type="order", object_id=order.pk, payload=payload)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="integrations_core_customer")
def customer_saved(sender, instance, created, update_fields=None, **kwargs):
    """Записать событие «покупатель создан/изменён» (вход и смена пароля не считаются)."""
    if update_fields and set(update_fields) <= _CUSTOMER_TECHNICAL_FIELDS:
        return
    if instance.is_staff:
        return
    outbox_event_add(
        kind="customer.created" if created else "customer.changed",
        object_type="customer",
        object_id=instance.pk,
        payload={
            "id": instance.pk,
            "email": instance.email,
            "phone": str(getattr(instance, "phone", "") or ""),
            "first_name": instance.first_name,
            "last_name": instance.last_name,
        },
    )


def _stock_event(stock):
    return {
        "kind": "stock.changed",
        "object_type": "stock",
        "object_id": f"{stock.variant_id}-{stock.warehouse_id}",
        "payload": {
            "variant_id": stock.variant_id,
            "warehouse_id": stock.warehouse_id,
            "quantity": stock.quantity,
            "reserved": stock.reserved,
        },
    }


@receiver(post_save, sender=Stock, dispatch_uid="integrations_core_stock")
def stock_saved(sender, instance, **kwargs):
    """Записать событие «остаток изменён»."""
    outbox_event_add(**_stock_event(instance))


@receiver(stocks_changed, sender=Stock, dispatch_uid="integrations_core_stocks")
def stocks_changed_in_bulk(sender, stocks, **kwargs):
    """Записать события «остаток изменён» пачки остатков (резерв оформления) — одно чтение подключений."""
    outbox_events_add(events=[_stock_event(stock) for stock in stocks])


@receiver(post_save, sender=VariantPrice, dispatch_uid="integrations_core_price")
def price_saved(sender, instance, **kwargs):
    """Записать событие «цена изменена»."""
    outbox_event_add(
        kind="price.changed",
        object_type="price",
        object_id=f"{instance.variant_id}-{instance.price_list_id}",
        payload={
            "variant_id": instance.variant_id,
            "price_list_id": instance.price_list_id,
            "price": str(instance.price),
            "old_price": str(instance.old_price) if instance.old_price is not None else None,
        },
    )
