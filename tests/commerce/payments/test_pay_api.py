"""Оплата заказа через API: сумма с сервера, повтор — тот же платёж, права на заказ, сбои провайдера."""

from decimal import Decimal

import pytest

from commerce.payments.models import EventKind, Payment, PaymentEvent, PaymentStatus
from tests.commerce.payments.conftest import RETURN_URL
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def pay_url(order):
    return f"/api/v1/orders/{order.number}/pay"


def test_pay_creates_a_yookassa_payment_for_the_order_total(customer_client, order, fake_yookassa):
    # when: клиент пытается подсунуть свою сумму — она игнорируется
    response = customer_client.post(pay_url(order), {"return_url": RETURN_URL, "amount": "1.00"}, format="json")

    # then
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "pending"
    assert body["provider"] == "yookassa"
    assert body["amount"] == "1300.00"
    assert body["confirmation_url"].startswith("https://yoomoney.example/")
    sent = fake_yookassa.posts("/payments")[0]["body"]
    assert sent["amount"] == {"value": "1300.00", "currency": "RUB"}
    assert sent["metadata"]["order_number"] == order.number
    order.refresh_from_db()
    assert order.status == "awaiting_payment"


def test_receipt_lists_order_lines_and_delivery_and_adds_up_to_the_total(customer_client, order, fake_yookassa):
    customer_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json")

    receipt = fake_yookassa.posts("/payments")[0]["body"]["receipt"]
    assert [item["payment_subject"] for item in receipt["items"]] == ["commodity", "service"]
    total = sum(Decimal(item["amount"]["value"]) * Decimal(item["quantity"]) for item in receipt["items"])
    assert total == Decimal("1300.00")
    assert receipt["customer"]["email"] == "ivan@example.ru"
    assert all(item["vat_code"] == 11 for item in receipt["items"])


def test_repeated_pay_returns_the_same_pending_payment(customer_client, order, fake_yookassa):
    first = customer_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json").json()
    second = customer_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json").json()

    assert first["id"] == second["id"]
    assert first["confirmation_url"] == second["confirmation_url"]
    assert len(fake_yookassa.payments) == 1
    assert Payment.objects.filter(order=order).count() == 1


def test_timeout_during_creation_then_retry_makes_one_provider_payment(customer_client, order, fake_yookassa):
    # given: ЮKassa создаёт платёж, но ответ приходит после таймаута клиента
    fake_yookassa.delay_next = [1.5]

    # when
    first = customer_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json")
    second = customer_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json")

    # then
    assert first.status_code == 503
    assert first.json()["error"]["code"] == "payment_provider_unavailable"
    assert second.status_code == 200
    assert len(fake_yookassa.payments) == 1
    keys = {item["headers"]["Idempotence-Key"] for item in fake_yookassa.posts("/payments")}
    assert len(keys) == 1


def test_provider_5xx_gives_503_without_internal_details(customer_client, order, fake_yookassa):
    fake_yookassa.fail_next = [500]

    response = customer_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json")

    assert response.status_code == 503
    text = response.content.decode()
    assert "internal_server_error" not in text
    assert "Traceback" not in text
    assert PaymentEvent.objects.filter(kind=EventKind.PROVIDER_ERROR, code="internal_server_error").exists()


def test_malformed_provider_answer_gives_503_and_keeps_the_payment_retryable(customer_client, order, fake_yookassa):
    fake_yookassa.malformed_next = 1

    response = customer_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json")

    assert response.status_code == 503
    payment = Payment.objects.get(order=order)
    assert payment.provider_payment_id == ""
    retry = customer_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json")
    assert retry.status_code == 200
    assert retry.json()["id"] == payment.pk


def test_another_users_order_is_not_found(api_client, order, fake_yookassa):
    api_client.force_authenticate(UserFactory())

    response = api_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json")

    assert response.status_code == 404
    assert Payment.objects.count() == 0


def test_guest_pays_with_the_secret_order_token(api_client, order, fake_yookassa):
    without_token = api_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json")
    wrong_token = api_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json", HTTP_X_ORDER_TOKEN="guess")
    with_token = api_client.post(
        pay_url(order), {"return_url": RETURN_URL}, format="json", HTTP_X_ORDER_TOKEN=order.token
    )

    assert without_token.status_code == 404
    assert wrong_token.status_code == 404
    assert with_token.status_code == 200


def test_paid_or_cancelled_order_cannot_be_paid_again(customer_client, order, fake_yookassa):
    order.status = "cancelled"
    order.save(update_fields=["status"])

    response = customer_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "order_not_payable"


def test_provider_not_enabled_in_the_region_is_refused(customer_client, order, fake_yookassa):
    response = customer_client.post(pay_url(order), {"return_url": RETURN_URL, "provider": "paypal"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "payment_provider_not_enabled"


@pytest.mark.parametrize("return_url", ["javascript:alert(1)", "ftp://shop.example.ru/", "not a url"])
def test_bad_return_url_is_rejected(customer_client, order, fake_yookassa, return_url):
    response = customer_client.post(pay_url(order), {"return_url": return_url}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["path"] == "return_url"


def test_return_url_outside_the_shop_is_rejected_when_hosts_are_configured(
    customer_client, order, fake_yookassa, settings
):
    settings.PAYMENTS_RETURN_URL_HOSTS = ["shop.example.ru"]

    response = customer_client.post(pay_url(order), {"return_url": "https://evil.example/"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["code"] == "host_not_allowed"


def test_payment_status_endpoint_syncs_an_open_payment(customer_client, order, fake_yookassa, settings):
    settings.PAYMENTS_SYNC_INTERVAL_SECONDS = 0
    created = customer_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json").json()
    payment = Payment.objects.get(pk=created["id"])
    fake_yookassa.set_status(payment.provider_payment_id, "succeeded")

    response = customer_client.get(f"/api/v1/orders/{order.number}/payment")

    assert response.status_code == 200
    assert response.json()["status"] == "succeeded"
    order.refresh_from_db()
    assert order.status == "paid"


def test_test_provider_takes_an_order_to_paid_without_a_real_gateway(customer_client, order, region):
    region.payment_providers.filter(provider="yookassa").delete()

    created = customer_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json").json()
    provider_id = Payment.objects.get(pk=created["id"]).provider_payment_id
    assert created["provider"] == "test"
    assert created["confirmation_url"].endswith(f"/api/v1/payments/test/{provider_id}/")

    paid = customer_client.post(f"/api/v1/payments/test/{provider_id}/", {"outcome": "succeeded"}, format="json")

    assert paid.status_code == 200
    assert paid.json()["status"] == PaymentStatus.SUCCEEDED
    order.refresh_from_db()
    assert order.status == "paid"


def test_cash_on_delivery_order_gets_an_offline_payment_without_a_link(customer_client, order):
    order.payment_method = "cash_on_delivery"
    order.save(update_fields=["payment_method"])

    response = customer_client.post(pay_url(order), {"return_url": RETURN_URL}, format="json")

    assert response.status_code == 200
    assert response.json()["provider"] == "cash_on_delivery"
    assert response.json()["confirmation_url"] == ""


@pytest.mark.parametrize(
    "return_url",
    ["https://evil.com\\@shop.example.ru/", "http://shop.example.ru/done", "https://shop.example.ru@evil.com/"],
)
def test_return_url_that_a_browser_would_follow_elsewhere_is_rejected(
    customer_client, order, fake_yookassa, settings, return_url
):
    # given
    settings.PAYMENTS_RETURN_URL_HOSTS = ["shop.example.ru"]

    # when
    response = customer_client.post(pay_url(order), {"return_url": return_url}, format="json")

    # then: до шлюза дело не дошло
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["path"] == "return_url"
    assert fake_yookassa.posts("/payments") == []


def test_return_url_goes_to_the_provider_in_its_browser_normalized_form(
    customer_client, order, fake_yookassa, settings
):
    settings.PAYMENTS_RETURN_URL_HOSTS = ["shop.example.ru"]

    response = customer_client.post(pay_url(order), {"return_url": "HTTPS://Shop.Example.RU:443/done"}, format="json")

    assert response.status_code == 200
    sent = fake_yookassa.posts("/payments")[0]["body"]
    assert sent["confirmation"]["return_url"] == "https://shop.example.ru/done"
