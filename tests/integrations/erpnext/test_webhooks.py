"""Вебхуки ERPNext: подпись Frappe, перечитывание документа, статусы заказа через машину статусов."""

import base64

import pytest
from django.test import Client

from commerce.catalog.models import Variant
from commerce.inventory.models import Stock
from commerce.orders.models import Order, OrderStatusChange
from commerce.orders.services import order_mark_paid
from commerce.orders.status import OrderStatus
from commerce.pricing.models import VariantPrice
from integrations.core.models import InboundWebhook, WebhookState
from integrations.core.sync import sync_run
from integrations.erpnext.inbound import status_path
from integrations.erpnext.signature import frappe_signature, frappe_signature_valid
from tests.integrations.erpnext.conftest import WEBHOOK_SECRET, catalog_seed
from tests.integrations.erpnext.fake_frappe import frappe_sign, frappe_webhook_body
from tests.integrations.helpers import deliver_all, order_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(erp, fake):
    catalog_seed(fake)
    sync_run(connection=erp, full=True)


def hook(connection, capture, data, *, signature=None, token=None):
    """Прислать вебхук так, как его шлёт Frappe (тело — json.dumps данных, подпись base64 HMAC)."""
    body = frappe_webhook_body(data)
    headers = {}
    if signature is not False:
        headers["HTTP_X_FRAPPE_WEBHOOK_SIGNATURE"] = signature or frappe_sign(body, WEBHOOK_SECRET)
    with capture(execute=True):
        return Client().post(
            f"/integrations/hooks/{connection.code}/{token or connection.webhook_token}/",
            data=body,
            content_type="application/json",
            REMOTE_ADDR="10.2.2.2",
            **headers,
        )


def test_signature_is_base64_hmac_of_raw_body():
    body = frappe_webhook_body({"doctype": "Item", "name": "Кеды"})

    signature = frappe_signature(secret="s", body=body)

    assert "\\u041a" in body.decode()  # Frappe шлёт ensure_ascii: кириллица как \\uXXXX
    assert frappe_signature_valid(secret="s", body=body, signature=signature)
    assert not frappe_signature_valid(secret="s", body=body + b" ", signature=signature)
    assert not frappe_signature_valid(secret="", body=body, signature=signature)


def test_item_webhook_refetches_item_and_applies_what_api_says(erp, fake, catalog, django_capture_on_commit_callbacks):
    # given: товар переименован в ERPNext; тело вебхука врёт о названии
    fake.item_update("CASE-1", item_name="Чехол кожаный")

    # when
    response = hook(
        erp, django_capture_on_commit_callbacks, {"doctype": "Item", "name": "CASE-1", "item_name": "Подделка"}
    )

    # then: применено то, что ответил API
    assert response.status_code == 202
    assert Variant.objects.get(sku="CASE-1").product.name == "Чехол кожаный"
    assert InboundWebhook.objects.get(connection=erp).state == WebhookState.PROCESSED
    assert ("GET", "/api/resource/Item/CASE-1", {}) in fake.requests


def test_webhook_with_bad_signature_is_rejected_and_changes_nothing(
    erp, fake, catalog, django_capture_on_commit_callbacks
):
    fake.item_update("CASE-1", item_name="Чехол кожаный")
    body = frappe_webhook_body({"doctype": "Item", "name": "CASE-1"})
    digest = base64.b64decode(frappe_signature(secret=WEBHOOK_SECRET, body=body))
    wrong = [
        frappe_sign(body, "чужой секрет"),
        "sha256=" + digest.hex(),  # hex с префиксом — так Frappe не подписывает
        digest.hex(),
    ]
    for signature in wrong:
        response = hook(
            erp, django_capture_on_commit_callbacks, {"doctype": "Item", "name": "CASE-1"}, signature=signature
        )
        assert response.status_code == 403
        assert response.json()["code"] == "webhook_bad_signature"
    response = hook(erp, django_capture_on_commit_callbacks, {"doctype": "Item", "name": "CASE-1"}, signature=False)
    assert response.status_code == 403

    assert Variant.objects.get(sku="CASE-1").product.name == "Чехол"
    assert set(InboundWebhook.objects.filter(connection=erp).values_list("state", flat=True)) == {WebhookState.REJECTED}


def test_item_deleted_in_erpnext_is_deactivated_by_on_trash_webhook(
    erp, fake, catalog, django_capture_on_commit_callbacks
):
    fake.item_delete("SH-100-39")

    hook(erp, django_capture_on_commit_callbacks, {"doctype": "Item", "name": "SH-100-39"})

    variant = Variant.objects.get(sku="SH-100-39")
    assert variant.is_active is False
    assert variant.product.is_active is True


def test_price_and_bin_webhooks_update_price_and_stock(erp, fake, catalog, django_capture_on_commit_callbacks):
    price = fake.price_add("CASE-1", 1090)
    stock = fake.bin_set("CASE-1", "Москва - М", actual=4, reserved=1)

    hook(erp, django_capture_on_commit_callbacks, {"doctype": "Item Price", "name": price["name"]})
    hook(erp, django_capture_on_commit_callbacks, {"doctype": "Bin", "name": stock["name"]})

    assert str(VariantPrice.objects.get(variant__sku="CASE-1", price_list__code="base").price) == "1090.00"
    assert Stock.objects.get(variant__sku="CASE-1", warehouse__code="msk-1").quantity == 3


def test_new_item_in_new_group_arrives_by_webhook(erp, fake, catalog, django_capture_on_commit_callbacks):
    fake.group_add("Сумки")
    fake.item_add("BAG-1", name="Сумка", group="Сумки")

    hook(erp, django_capture_on_commit_callbacks, {"doctype": "Item", "name": "BAG-1"})

    assert Variant.objects.get(sku="BAG-1").product.main_category.name == "Сумки"


def test_repeated_webhook_is_processed_once(erp, fake, catalog, django_capture_on_commit_callbacks):
    data = {"doctype": "Item", "name": "CASE-1"}

    first = hook(erp, django_capture_on_commit_callbacks, data)
    second = hook(erp, django_capture_on_commit_callbacks, data)

    assert (first.status_code, second.status_code) == (202, 200)
    assert second.json()["duplicate"] is True
    assert len([request for request in fake.requests if request[1] == "/api/resource/Item/CASE-1"]) == 1


@pytest.fixture
def placed(shop, erp, fake, catalog):
    """Оплаченный заказ, уже ставший Sales Order: (заказ, имя Sales Order)."""
    order = order_place(shop, [("CASE-1", 1)])
    order = order_mark_paid(order=order, payment_reference="pay-1")
    deliver_all(erp)
    (sales_order,) = fake.sales_orders()
    return order, sales_order["name"]


def test_sales_order_status_moves_order_through_status_machine(placed, erp, fake, django_capture_on_commit_callbacks):
    # given: в ERPNext заказ отгрузили и закрыли (Completed)
    order, name = placed
    fake.sales_order_set_status(name, "Completed", per_delivered=100)

    # when
    hook(erp, django_capture_on_commit_callbacks, {"doctype": "Sales Order", "name": name})

    # then: paid → assembling → shipped → delivered — каждый шаг машиной статусов, с историей
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    steps = list(OrderStatusChange.objects.filter(order=order).order_by("pk").values_list("to_status", flat=True))
    assert steps[-3:] == ["assembling", "shipped", "delivered"]
    assert "ERPNext" in OrderStatusChange.objects.filter(order=order).last().comment


def test_delivery_note_marks_order_shipped(placed, erp, fake, django_capture_on_commit_callbacks):
    order, name = placed
    note = fake.delivery_note_add(name)

    hook(erp, django_capture_on_commit_callbacks, {"doctype": "Delivery Note", "name": note["name"]})

    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_cancel_in_erpnext_after_shipping_is_refused_by_status_machine(
    placed, erp, fake, django_capture_on_commit_callbacks
):
    order, name = placed
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.SHIPPED)
    fake.sales_order_set_status(name, "Cancelled", docstatus=2)

    hook(erp, django_capture_on_commit_callbacks, {"doctype": "Sales Order", "name": name})

    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    inbound = InboundWebhook.objects.get(connection=erp)
    assert inbound.state == WebhookState.PROCESSED
    assert "Нельзя перевести" in inbound.error


def test_status_path_never_goes_through_payment_or_cancel():
    assert status_path(from_status="new", to_status="delivered") == ["assembling", "shipped", "delivered"]
    assert status_path(from_status="awaiting_payment", to_status="assembling") is None
    assert status_path(from_status="shipped", to_status="cancelled") is None
