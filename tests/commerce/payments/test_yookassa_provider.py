"""Провайдер ЮKassa: наш настоящий HTTP-клиент против поддельного сервера на 127.0.0.1."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from commerce.payments.providers.base import (
    PaymentRequest,
    PaymentStatus,
    ProviderError,
    Receipt,
    ReceiptItem,
    WebhookRejected,
)
from commerce.payments.providers.yookassa import YooKassaProvider
from tests.commerce.payments.conftest import FOREIGN_IP, YOOKASSA_IP


def payment_request(**overrides):
    receipt = Receipt(
        items=(
            ReceiptItem(
                description="Кеды белые (38)", quantity=Decimal("2"), unit_price=Decimal("2495.00"), vat_code=11
            ),
            ReceiptItem(
                description="Доставка",
                quantity=Decimal("1"),
                unit_price=Decimal("350.00"),
                vat_code=11,
                payment_subject="service",
            ),
        ),
        customer_phone="+79161234567",
    )
    values = {
        "amount": Decimal("5340.00"),
        "currency": "RUB",
        "description": "Заказ MSK-2026-0000001",
        "order_number": "MSK-2026-0000001",
        "return_url": "https://shop.example.ru/checkout/return",
        "idempotence_key": "key-1",
        "receipt": receipt,
    }
    values.update(overrides)
    return PaymentRequest(**values)


def test_create_payment_sends_auth_idempotence_key_amount_string_and_receipt(yookassa_provider, fake_yookassa):
    # when
    payment = yookassa_provider.payment_create(payment_request())

    # then
    assert payment.status == PaymentStatus.PENDING
    assert payment.amount == Decimal("5340.00")
    assert payment.confirmation_url.startswith("https://yoomoney.example/")
    sent = fake_yookassa.posts("/payments")[0]
    assert sent["headers"]["Idempotence-Key"] == "key-1"
    assert sent["body"]["amount"] == {"value": "5340.00", "currency": "RUB"}
    assert sent["body"]["confirmation"]["type"] == "redirect"
    assert sent["body"]["metadata"]["order_number"] == "MSK-2026-0000001"
    items = sent["body"]["receipt"]["items"]
    assert items[0] == {
        "description": "Кеды белые (38)",
        "quantity": "2",
        "amount": {"value": "2495.00", "currency": "RUB"},
        "vat_code": 11,
        "payment_subject": "commodity",
        "payment_mode": "full_prepayment",
    }
    assert sent["body"]["receipt"]["customer"] == {"phone": "79161234567"}


def test_retry_after_timeout_with_the_same_key_does_not_create_a_second_payment(yookassa_provider, fake_yookassa):
    # given: первый ответ приходит позже таймаута клиента
    fake_yookassa.delay_next = [1.5]

    # when
    with pytest.raises(ProviderError) as error:
        yookassa_provider.payment_create(payment_request(idempotence_key="retry-key"))
    assert error.value.code == "timeout"
    assert error.value.retryable is True
    payment = yookassa_provider.payment_create(payment_request(idempotence_key="retry-key"))

    # then: у ЮKassa один платёж, повтор вернул его же
    assert len(fake_yookassa.payments) == 1
    assert payment.provider_payment_id in fake_yookassa.payments


def test_server_error_is_retryable_and_reports_code(yookassa_provider, fake_yookassa):
    fake_yookassa.fail_next = [500]

    with pytest.raises(ProviderError) as error:
        yookassa_provider.payment_create(payment_request())

    assert error.value.retryable is True
    assert error.value.code == "internal_server_error"
    assert fake_yookassa.payments == {}


def test_accepted_202_is_repeated_with_the_same_key_until_done(yookassa_provider, fake_yookassa):
    fake_yookassa.accepted_next = 2

    payment = yookassa_provider.payment_create(payment_request(idempotence_key="slow-key"))

    assert payment.status == PaymentStatus.PENDING
    keys = [item["headers"]["Idempotence-Key"] for item in fake_yookassa.posts("/payments")]
    assert keys == ["slow-key", "slow-key", "slow-key"]


def test_malformed_answer_is_a_retryable_bad_response(yookassa_provider, fake_yookassa):
    fake_yookassa.malformed_next = 1

    with pytest.raises(ProviderError) as error:
        yookassa_provider.payment_create(payment_request())

    assert error.value.code == "bad_response"
    assert error.value.retryable is True


def test_payment_without_required_fields_is_rejected_as_bad_response():
    from commerce.payments.providers.yookassa import payment_from_response

    with pytest.raises(ProviderError) as error:
        payment_from_response({"id": "x", "status": "succeeded"})

    assert error.value.code == "bad_response"


def test_wrong_credentials_are_not_retryable(yookassa_provider, fake_yookassa):
    fake_yookassa.secret_key = "rotated"

    with pytest.raises(ProviderError) as error:
        yookassa_provider.payment_fetch("any")

    assert error.value.code == "invalid_credentials"
    assert error.value.retryable is False


def test_receipt_total_mismatch_is_rejected_by_the_provider(yookassa_provider):
    with pytest.raises(ProviderError) as error:
        yookassa_provider.payment_create(payment_request(amount=Decimal("5000.00")))

    assert error.value.code == "invalid_request"
    assert error.value.raw["parameter"] == "receipt"


def test_two_stage_payment_is_captured(yookassa_provider, fake_yookassa):
    payment = yookassa_provider.payment_create(payment_request(capture=False))
    fake_yookassa.set_status(payment.provider_payment_id, "waiting_for_capture")

    assert yookassa_provider.payment_fetch(payment.provider_payment_id).status == PaymentStatus.WAITING_FOR_CAPTURE
    captured = yookassa_provider.payment_capture(
        payment.provider_payment_id, amount=Decimal("5340.00"), currency="RUB", idempotence_key="cap-1"
    )

    assert captured.status == PaymentStatus.SUCCEEDED


def test_cancel_maps_canceled_to_cancelled_with_reason(yookassa_provider):
    payment = yookassa_provider.payment_create(payment_request())

    cancelled = yookassa_provider.payment_cancel(payment.provider_payment_id, idempotence_key="cancel-1")

    assert cancelled.status == PaymentStatus.CANCELLED
    assert cancelled.cancellation_reason == "canceled_by_merchant"


def test_partial_and_full_refunds(yookassa_provider, fake_yookassa):
    payment = yookassa_provider.payment_create(payment_request())
    fake_yookassa.set_status(payment.provider_payment_id, "succeeded")

    first = yookassa_provider.refund_create(
        payment.provider_payment_id,
        amount=Decimal("340.00"),
        currency="RUB",
        description="Доставка",
        idempotence_key="r1",
    )
    rest = yookassa_provider.refund_create(
        payment.provider_payment_id,
        amount=Decimal("5000.00"),
        currency="RUB",
        description="Товар",
        idempotence_key="r2",
    )

    assert first.status == rest.status == "succeeded"
    assert yookassa_provider.payment_fetch(payment.provider_payment_id).refunded_amount == Decimal("5340.00")
    with pytest.raises(ProviderError):
        yookassa_provider.refund_create(
            payment.provider_payment_id, amount=Decimal("0.01"), currency="RUB", description="", idempotence_key="r3"
        )


def test_webhook_from_yookassa_network_is_parsed(yookassa_provider, fake_yookassa):
    payment = yookassa_provider.payment_create(payment_request())
    body = json.dumps(fake_yookassa.notification(payment.provider_payment_id, "payment.succeeded")).encode()

    notice = yookassa_provider.webhook_parse(body=body, client_ip=YOOKASSA_IP)

    assert notice.event == "payment.succeeded"
    assert notice.object_type == "payment"
    assert notice.object_id == payment.provider_payment_id


@pytest.mark.parametrize(
    ("body", "client_ip", "code"),
    [
        (
            b'{"type": "notification", "event": "payment.succeeded", "object": {"id": "p1"}}',
            FOREIGN_IP,
            "source_not_allowed",
        ),
        (
            b'{"type": "notification", "event": "payment.succeeded", "object": {"id": "p1"}}',
            "not-an-ip",
            "source_not_allowed",
        ),
        (b"{not json", YOOKASSA_IP, "malformed"),
        (b'{"type": "notification", "event": "payment.succeeded", "object": {}}', YOOKASSA_IP, "malformed"),
        (
            b'{"type": "notification", "event": "payout.succeeded", "object": {"id": "p1"}}',
            YOOKASSA_IP,
            "unknown_event",
        ),
    ],
)
def test_webhook_from_wrong_source_or_with_bad_body_is_rejected(yookassa_provider, body, client_ip, code):
    with pytest.raises(WebhookRejected) as error:
        yookassa_provider.webhook_parse(body=body, client_ip=client_ip)

    assert error.value.code == code


def test_ipv6_network_of_yookassa_is_accepted(yookassa_provider):
    body = b'{"type": "notification", "event": "payment.canceled", "object": {"id": "p1"}}'

    assert yookassa_provider.webhook_parse(body=body, client_ip="2a02:5180::1").object_id == "p1"


def test_provider_refuses_to_start_without_credentials(settings):
    settings.YOOKASSA_SHOP_ID = ""
    settings.YOOKASSA_SECRET_KEY = ""

    with pytest.raises(ImproperlyConfigured, match="YOOKASSA_SHOP_ID, YOOKASSA_SECRET_KEY"):
        YooKassaProvider()
