"""Фоновые задачи заказов: каждая вызывает сервис, идемпотентна и переживает повтор."""

from celery import shared_task

from commerce.orders import idempotency, notifications, services
from core.sms import SmsDeliveryError


@shared_task(name="commerce.orders.tasks.orders_reservations_expire")
def orders_reservations_expire():
    """Отменить неоплаченные заказы с истёкшим резервом (Celery beat, раз в минуту)."""
    return services.orders_reservations_expire()


@shared_task(name="commerce.orders.tasks.orders_idempotency_keys_purge")
def orders_idempotency_keys_purge():
    """Удалить просроченные ключи Idempotency-Key (Celery beat, раз в час)."""
    return idempotency.idempotency_keys_purge()


@shared_task(
    name="commerce.orders.tasks.order_status_notify",
    autoretry_for=(SmsDeliveryError, ConnectionError, OSError),
    retry_backoff=30,
    max_retries=5,
)
def order_status_notify(change_id):
    """Уведомить покупателя о смене статуса заказа (e-mail и SMS)."""
    return notifications.order_notification_send(change_id=change_id)
