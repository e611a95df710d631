"""Уведомления покупателю о смене статуса заказа: e-mail и SMS по редактируемым шаблонам.

Шаблон берётся из NotificationTemplate (редактируется в админке, раздел «Заказы»); если
строки для статуса и канала нет — из текстов по умолчанию ниже. Выключенный шаблон
(is_active=False) отключает канал для этого статуса. Повтор задачи безопасен: отправленное
отмечается в OrderNotification и второй раз не уходит.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.utils.translation import gettext as _

from commerce.orders.models import NotificationChannel, NotificationTemplate, OrderNotification, OrderStatusChange
from commerce.orders.status import OrderStatus
from core.sms import sms_send

logger = logging.getLogger(__name__)

DEFAULT_SUBJECT = "Заказ {{ order.number }}: {{ status }}"
DEFAULT_EMAIL_BODY = (
    "Здравствуйте, {{ order.contact_name }}!\n\n"
    "Статус вашего заказа {{ order.number }} — «{{ status }}».\n"
    "{% if comment %}{{ comment }}\n{% endif %}"
    "Сумма: {{ order.total }} {{ order.currency }}.\n\n"
    "Следить за заказом: {{ tracking_url }}\n"
)
DEFAULT_SMS_BODY = "Заказ {{ order.number }}: {{ status }}. {{ tracking_url }}"
# Статусы, о которых покупателю пишем по умолчанию (без строки шаблона в базе).
DEFAULT_NOTIFY_STATUSES = {
    OrderStatus.NEW,
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.CANCELLED,
}


def tracking_url(order):
    """Ссылка отслеживания заказа без входа (секретный токен) на витрине."""
    return settings.ORDERS_TRACKING_URL.format(token=order.token, number=order.number)


def _template_for(status, channel):
    row = NotificationTemplate.objects.filter(status=status, channel=channel).first()
    if row is not None:
        return (row.subject, row.body) if row.is_active else None
    if status not in DEFAULT_NOTIFY_STATUSES:
        return None
    if channel == NotificationChannel.EMAIL:
        return DEFAULT_SUBJECT, DEFAULT_EMAIL_BODY
    return "", DEFAULT_SMS_BODY


def _render(text, context):
    return Template(text).render(Context(context, autoescape=False)).strip()


def order_notification_send(*, change_id):
    """Отправить покупателю уведомления о записи истории change_id; вернуть отправленные каналы."""
    change = OrderStatusChange.objects.select_related("order").filter(pk=change_id).first()
    if change is None:
        return []
    order = change.order
    context = {
        "order": order,
        "status": OrderStatus(change.to_status).label,
        "comment": change.comment,
        "tracking_url": tracking_url(order),
    }
    channels = []
    if settings.ORDERS_NOTIFY_EMAIL and order.contact_email:
        channels.append(NotificationChannel.EMAIL)
    if settings.ORDERS_NOTIFY_SMS and order.contact_phone:
        channels.append(NotificationChannel.SMS)
    sent = []
    for channel in channels:
        if OrderNotification.objects.filter(change=change, channel=channel).exists():
            continue
        template = _template_for(change.to_status, channel)
        if template is None:
            continue
        subject, body = (_render(part, context) for part in template)
        if channel == NotificationChannel.EMAIL:
            send_mail(subject or _("Ваш заказ"), body, None, [order.contact_email])
        else:
            sms_send(phone=str(order.contact_phone), text=body, client_id=f"order-{change.pk}")
        try:
            with transaction.atomic():
                OrderNotification.objects.create(change=change, channel=channel)
        except IntegrityError:
            logger.info("Уведомление %s по заказу %s уже отмечено параллельной задачей", channel, order.number)
        sent.append(str(channel))
    return sent
