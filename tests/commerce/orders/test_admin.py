"""Заказы в Wagtail admin: список с фильтрами, смена статуса с комментарием и историей, выгрузка."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commerce.orders import services
from commerce.orders.models import Order
from commerce.orders.status import OrderStatus
from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request
from tests.factories.accounts import UserFactory, staff_user_with
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/snippets/orders/order/"


@pytest.fixture
def manager(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def place(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    return Order.objects.get(number=checkout_request(cart=cart).json()["number"])


def test_order_list_filters_by_status(client, manager, shop):
    paid = OrderFactory(region=shop.msk, status=OrderStatus.PAID)
    new = OrderFactory(region=shop.msk, status=OrderStatus.NEW)
    response = client.get(LIST, {"status": "paid"})
    assert response.status_code == 200
    content = response.content.decode()
    assert paid.number in content
    assert new.number not in content


def test_manager_changes_status_with_comment_and_sees_history(client, manager, shop, sms_outbox):
    order = place(shop)
    url = reverse("orders_order_status", args=[order.pk])
    response = client.post(url, {"to_status": "awaiting_payment", "comment": "Счёт отправлен"})
    assert response.status_code == 302
    change = order.history.last()
    assert (change.to_status, change.comment, change.changed_by) == ("awaiting_payment", "Счёт отправлен", manager)
    page = client.get(url).content.decode()
    assert "Счёт отправлен" in page


def test_disallowed_status_is_not_offered_and_rejected(client, manager, shop):
    order = place(shop)
    url = reverse("orders_order_status", args=[order.pk])
    response = client.post(url, {"to_status": "delivered", "comment": ""})
    assert response.status_code == 200  # форма с ошибкой
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW
    assert order.history.count() == 1


def test_staff_without_permission_cannot_change_status(client, shop):
    # Право править заказ (контакты) не даёт менять статус: для этого orders.change_order_status.
    client.force_login(staff_user_with("wagtailadmin.access_admin", "orders.view_order", "orders.change_order"))
    order = place(shop)
    response = client.post(reverse("orders_order_status", args=[order.pk]), {"to_status": "cancelled"})
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW


def test_orders_export_to_spreadsheet(client, manager, shop):
    order = OrderFactory(region=shop.msk, contact_name="Мария")
    response = client.get(LIST, {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    response = client.get(LIST, {"export": "csv"})
    content = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert order.number in content and "Мария" in content


def test_admin_cannot_add_or_delete_orders(client, manager, shop):
    order = OrderFactory(region=shop.msk)
    assert client.get(f"{LIST}add/").status_code == 302
    client.post(f"{LIST}delete/{order.pk}/")
    assert Order.objects.filter(pk=order.pk).exists()


def test_manager_confirms_cash_on_delivery_order_by_moving_it_to_assembling(client, manager, shop, settings):
    # given: неподтверждённый заказ с оплатой при получении виден в списке со сроком резерва
    settings.ORDERS_COD_RESERVATION_HOURS = 24
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    response = checkout_request(cart=cart, payload=checkout_payload(payment_method="cash_on_delivery"))
    order = Order.objects.get(number=response.json()["number"])
    assert order.reserved_until is not None
    assert "Резерв до" in client.get(LIST).content.decode()
    # when: менеджер подтверждает — переводит в «собирается»
    response = client.post(reverse("orders_order_status", args=[order.pk]), {"to_status": "assembling", "comment": ""})
    # then: срока больше нет, задача истечения заказ не отменит
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.reserved_until) == (OrderStatus.ASSEMBLING, None)
    assert services.orders_reservations_expire(now=timezone.now() + timedelta(days=7)) == 0
