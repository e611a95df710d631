"""Помощники тестов amoCRM: заказ через оформление, доставка outbox, вебхук amoCRM."""

from urllib.parse import urlencode

from django.test import Client

from commerce.orders.models import Order
from integrations.core.models import Delivery, DeliveryState
from integrations.core.outbox import deliveries_claim, delivery_send
from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request


def order_place(shop, *, quantity=2, **contact):
    """Оформить заказ (рубашка × quantity) через API; ``contact`` меняет имя, телефон или e-mail."""
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, quantity)])
    payload = checkout_payload()
    payload["contact"] = {**payload["contact"], **contact}
    response = checkout_request(cart=cart, payload=payload)
    assert response.status_code == 201, response.content
    return Order.objects.get(number=response.json()["number"])


def deliver_all(connection):
    """Отправить все доставки подключения, которые можно взять сейчас (как проход воркера); вернуть исходы."""
    outcomes = []
    while True:
        claimed = [item for item in deliveries_claim(limit=50) if item.connection_id == connection.pk]
        if not claimed:
            return outcomes
        outcomes.extend(delivery_send(item) for item in claimed)


def redeliver(connection):
    """Повторить уже доставленные события (доставка «хотя бы раз» прислала их снова)."""
    Delivery.objects.filter(connection=connection).update(state=DeliveryState.PENDING, locked_until=None)
    return deliver_all(connection)


def lead_webhook(lead_id, *, status_id=None, responsible_user_id=None, subdomain="myshop", action="status"):
    """Тело вебхука amoCRM (form-urlencoded, ключи PHP), как его шлёт amoCRM."""
    fields = {f"leads[{action}][0][id]": lead_id, f"leads[{action}][0][pipeline_id]": 3508507}
    if status_id is not None:
        fields[f"leads[{action}][0][status_id]"] = status_id
        fields[f"leads[{action}][0][old_status_id]"] = 7039101
    if responsible_user_id is not None:
        fields[f"leads[{action}][0][responsible_user_id]"] = responsible_user_id
    fields["account[id]"] = 17769199
    fields["account[subdomain]"] = subdomain
    return urlencode(fields)


def hook_post(connection, body, *, token=None):
    return Client().post(
        f"/integrations/hooks/{connection.code}/{token or connection.webhook_token}/",
        data=body,
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR="10.1.1.1",
    )
