"""Уведомления о смене статуса: e-mail и SMS через Celery, редактируемые шаблоны, без повторов."""

import pytest
from django.core import mail

from commerce.orders import services
from commerce.orders.models import NotificationChannel, NotificationTemplate, Order
from commerce.orders.notifications import order_notification_send
from commerce.orders.status import OrderStatus
from tests.commerce.orders.helpers import cart_create, checkout_request

pytestmark = pytest.mark.django_db


def place(shop, django_capture_on_commit_callbacks):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    with django_capture_on_commit_callbacks(execute=True):
        response = checkout_request(cart=cart)
    return Order.objects.get(number=response.json()["number"])


def test_new_order_sends_email_and_sms_with_tracking_link(shop, sms_outbox, django_capture_on_commit_callbacks):
    order = place(shop, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ivan@example.ru"]
    assert order.number in mail.outbox[0].subject
    assert order.token in mail.outbox[0].body
    assert [message.phone for message in sms_outbox] == ["+79161234567"]
    assert order.number in sms_outbox[0].text


def test_edited_template_is_used_and_disabled_one_is_skipped(shop, sms_outbox, django_capture_on_commit_callbacks):
    NotificationTemplate.objects.create(
        status=OrderStatus.CANCELLED,
        channel=NotificationChannel.EMAIL,
        subject="Отмена {{ order.number }}",
        body="Причина: {{ comment }}",
    )
    NotificationTemplate.objects.create(
        status=OrderStatus.CANCELLED, channel=NotificationChannel.SMS, body="-", is_active=False
    )
    order = place(shop, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.order_status_change(order=order, to_status=OrderStatus.CANCELLED, comment="нет в наличии")
    assert [(message.subject, message.body) for message in mail.outbox] == [
        (f"Отмена {order.number}", "Причина: нет в наличии")
    ]
    assert sms_outbox == []


def test_repeated_task_does_not_notify_twice(shop, sms_outbox, django_capture_on_commit_callbacks):
    order = place(shop, django_capture_on_commit_callbacks)
    change = order.history.get()
    assert order_notification_send(change_id=change.pk) == []
    assert len(mail.outbox) == 1
    assert len(sms_outbox) == 1


def test_status_without_default_template_sends_nothing(shop, sms_outbox, django_capture_on_commit_callbacks):
    order = place(shop, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.order_status_change(order=order, to_status=OrderStatus.AWAITING_PAYMENT)
    assert mail.outbox == [] and sms_outbox == []
