"""Демо-заказы seed_demo: заказы в разных статусах с платежами, через сервисы магазина, один раз."""

import io

import pytest
from django.core.management import call_command

from commerce.orders.models import Order
from commerce.payments.models import Payment, PaymentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_has_orders_in_different_statuses_with_payments(seeded):
    orders = {order.comment: order for order in Order.objects.select_related("region")}

    statuses = {comment: order.status for comment, order in orders.items()}
    assert statuses == {
        "Демо-заказ 1": "paid",
        "Демо-заказ 2": "new",
        "Демо-заказ 3": "awaiting_payment",
        "Демо-заказ 4": "shipped",
        "Демо-заказ 5": "completed",
        "Демо-заказ 6": "cancelled",
    }
    assert {order.region.code for order in orders.values()} == {"msk", "spb", "kzn"}
    paid = Payment.objects.filter(status=PaymentStatus.SUCCEEDED)
    assert {payment.order.comment for payment in paid} == {"Демо-заказ 1", "Демо-заказ 4"}
    assert all(payment.amount == payment.order.total for payment in paid)
    # Путь статусов записан в историю, как у менеджера.
    completed = orders["Демо-заказ 5"]
    assert list(completed.history.order_by("pk").values_list("to_status", flat=True))[-1] == "completed"


def test_second_seed_adds_no_orders(seeded):
    before = list(Order.objects.order_by("pk").values_list("pk", "status"))

    call_command("seed_demo", stdout=io.StringIO())

    assert list(Order.objects.order_by("pk").values_list("pk", "status")) == before
    assert Payment.objects.count() == 3
