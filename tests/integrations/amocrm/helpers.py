"""Помощники тестов amoCRM: заказ рубашки, вебхук amoCRM."""

from urllib.parse import urlencode

from django.test import Client

from tests.integrations.helpers import order_place as lines_order_place


def order_place(shop, *, quantity=2, **contact):
    """Оформить заказ (рубашка × quantity) через API; ``contact`` меняет имя, телефон или e-mail."""
    return lines_order_place(shop, [(shop.shirt, quantity)], **contact)


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
