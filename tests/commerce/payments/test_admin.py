"""Платежи в админке: только чтение, журнал, возврат с подтверждением и правом."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from commerce.payments.models import PaymentStatus, Refund
from tests.commerce.payments.test_refunds_and_stock import paid_payment
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_payments_list_and_inspect_pages_render(admin_client, customer_client, order, fake_yookassa):
    payment = paid_payment(customer_client, order, fake_yookassa)

    listing = admin_client.get("/admin/payments/payment/")
    inspect = admin_client.get(f"/admin/payments/payment/inspect/{payment.pk}/")
    journal = admin_client.get("/admin/payments/event/")

    assert listing.status_code == 200
    assert order.number in listing.content.decode()
    assert inspect.status_code == 200
    assert payment.provider_payment_id in inspect.content.decode()
    assert journal.status_code == 200


def test_even_a_superuser_cannot_edit_or_delete_a_payment_or_event(admin_client, customer_client, order, fake_yookassa):
    payment = paid_payment(customer_client, order, fake_yookassa)
    event = payment.events.first()

    for url in (
        f"/admin/payments/payment/edit/{payment.pk}/",
        f"/admin/payments/payment/delete/{payment.pk}/",
        "/admin/payments/payment/new/",
        f"/admin/payments/event/edit/{event.pk}/",
    ):
        response = admin_client.post(url, {"status": "refunded"})
        assert response.status_code == 302, url
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


def test_refund_needs_confirmation_then_calls_the_provider(admin_client, customer_client, order, fake_yookassa):
    payment = paid_payment(customer_client, order, fake_yookassa)
    url = f"/admin/payments/payment/refund/{payment.pk}/"

    page = admin_client.get(url)
    unconfirmed = admin_client.post(url, {"amount": "500.00", "reason": "Брак"})
    confirmed = admin_client.post(url, {"amount": "500.00", "reason": "Брак", "confirm": "on"})

    assert page.status_code == 200
    assert unconfirmed.status_code == 200
    assert confirmed.status_code == 302
    refund = Refund.objects.get()
    assert refund.amount == Decimal("500.00")
    assert refund.reason == "Брак"
    assert len(fake_yookassa.refunds) == 1


def test_refund_above_the_paid_rest_is_refused_by_the_form(admin_client, customer_client, order, fake_yookassa):
    payment = paid_payment(customer_client, order, fake_yookassa)

    response = admin_client.post(
        f"/admin/payments/payment/refund/{payment.pk}/", {"amount": "5000.00", "reason": "—", "confirm": "on"}
    )

    assert response.status_code == 200
    assert Refund.objects.count() == 0


def test_staff_without_refund_permission_cannot_refund(client, customer_client, order, fake_yookassa):
    payment = paid_payment(customer_client, order, fake_yookassa)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    staff.user_permissions.add(Permission.objects.get(codename="view_payment"))
    client.force_login(staff)

    response = client.post(
        f"/admin/payments/payment/refund/{payment.pk}/", {"amount": "100.00", "reason": "—", "confirm": "on"}
    )

    # Wagtail отвечает на отказ в правах переходом на главную админки с сообщением
    assert (response.status_code, response.get("Location")) in {(403, None), (302, "/admin/")}
    assert Refund.objects.count() == 0
    assert len(fake_yookassa.refunds) == 0


def test_django_admin_shows_payments_read_only(client, customer_client, order, fake_yookassa):
    payment = paid_payment(customer_client, order, fake_yookassa)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(f"/django-admin/payments/payment/{payment.pk}/change/")

    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
