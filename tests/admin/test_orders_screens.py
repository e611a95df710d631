"""Экраны заказов: столбцы списка, страница заказа с платежом и пунктом самовывоза, переходы по способу оплаты."""

import pytest
from django.urls import reverse

from commerce.orders.models import DeliveryMethod, PaymentMethod
from commerce.orders.status import OrderStatus
from commerce.payments.models import Payment
from staff import roles
from tests.admin.conftest import role_user
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/snippets/orders/order/"


@pytest.fixture
def manager(client):
    user = role_user(roles.ORDER_MANAGER)
    client.force_login(user)
    return user


def status_choices(response):
    return [value for value, _label in response.context["form"].fields["to_status"].choices]


def test_order_list_shows_payment_delivery_and_region_without_bulk_delete(client, manager, regions):
    order = OrderFactory(region=regions.msk, delivery_method=DeliveryMethod.PICKUP, payment_method=PaymentMethod.ONLINE)
    Payment.objects.create(order=order, provider="test", amount=order.total, currency="RUB", idempotence_key="k1")
    response = client.get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    row = next(row for row in content.split("</tr>") if order.number in row)
    assert "онлайн картой" in row
    assert "ожидает оплаты" in row  # статус платежа
    assert "самовывоз со склада" in row
    assert "Москва" in row
    assert "data-bulk-action-button" not in content
    assert "data-bulk-action-checkbox" not in content
    assert "Удалить" not in content


def test_order_page_shows_pickup_warehouse_customer_and_payment_link(client, manager, regions):
    order = OrderFactory(
        region=regions.msk,
        delivery_method=DeliveryMethod.PICKUP,
        pickup_warehouse=regions.msk_warehouse,
        delivery_address="",
        contact_name="Анна Смирнова",
    )
    payment = Payment.objects.create(
        order=order, provider="test", amount=order.total, currency="RUB", idempotence_key="k2"
    )
    response = client.get(reverse("orders_order_status", args=[order.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert regions.msk_warehouse.name in content
    assert "Анна Смирнова" in content
    assert f'href="/admin/payments/payment/inspect/{payment.pk}/"' in content
    assert 'data-payment-status="pending"' in content


def test_cash_on_delivery_order_is_not_offered_awaiting_payment(client, manager, regions):
    order = OrderFactory(region=regions.msk, payment_method=PaymentMethod.CASH_ON_DELIVERY)
    response = client.get(reverse("orders_order_status", args=[order.pk]))
    assert response.status_code == 200
    choices = status_choices(response)
    assert OrderStatus.AWAITING_PAYMENT not in choices
    assert OrderStatus.ASSEMBLING in choices


def test_online_order_is_offered_awaiting_payment(client, manager, regions):
    order = OrderFactory(region=regions.msk, payment_method=PaymentMethod.ONLINE)
    response = client.get(reverse("orders_order_status", args=[order.pk]))
    assert status_choices(response)[0] == OrderStatus.AWAITING_PAYMENT


def test_cash_on_delivery_post_of_awaiting_payment_is_rejected(client, manager, regions):
    order = OrderFactory(region=regions.msk, payment_method=PaymentMethod.CASH_ON_DELIVERY)
    response = client.post(reverse("orders_order_status", args=[order.pk]), {"to_status": "awaiting_payment"})
    assert response.status_code == 200  # форма с ошибкой
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW


def test_merchandiser_cannot_open_order_page(client, regions):
    order = OrderFactory(region=regions.msk)
    client.force_login(role_user(roles.MERCHANDISER))
    response = client.get(reverse("orders_order_status", args=[order.pk]))
    # Wagtail отвечает на PermissionDenied переходом на главную с сообщением «нет прав».
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_order_manager_without_payment_rights_sees_status_without_link(client, regions):
    from tests.factories.accounts import staff_user_with

    order = OrderFactory(region=regions.msk)
    Payment.objects.create(order=order, provider="test", amount=order.total, currency="RUB", idempotence_key="k3")
    client.force_login(staff_user_with("wagtailadmin.access_admin", "orders.view_order"))
    content = client.get(reverse("orders_order_status", args=[order.pk])).content.decode()
    assert 'data-payment-status="pending"' in content
    assert "/admin/payments/payment/inspect/" not in content
