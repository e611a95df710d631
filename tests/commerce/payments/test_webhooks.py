"""Уведомления ЮKassa: проверка источника, перечитывание у провайдера, идемпотентность, гонки."""

import hashlib
import json
from decimal import Decimal

import pytest
from django.db import connection

from commerce.orders.models import OrderStatusChange
from commerce.payments.models import EventKind, Payment, PaymentEvent, PaymentStatus
from tests.commerce.orders.helpers import run_concurrently
from tests.commerce.payments.conftest import FOREIGN_IP, RETURN_URL, YOOKASSA_IP

WEBHOOK = "/api/v1/payments/webhooks/yookassa/"


def start_payment(client, order):
    response = client.post(f"/api/v1/orders/{order.number}/pay", {"return_url": RETURN_URL}, format="json")
    assert response.status_code == 200, response.json()
    return Payment.objects.get(pk=response.json()["id"])


def send_webhook(client, body, *, ip=YOOKASSA_IP, **extra):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(WEBHOOK, data=raw, content_type="application/json", REMOTE_ADDR=ip, **extra)


def paid_transitions(order):
    return OrderStatusChange.objects.filter(order=order, to_status="paid").count()


@pytest.mark.django_db
class TestTrustedNotifications:
    def test_succeeded_notification_marks_order_paid_after_refetch(self, customer_client, order, fake_yookassa):
        # given
        payment = start_payment(customer_client, order)
        fake_yookassa.set_status(payment.provider_payment_id, "succeeded")
        requests_before = len(fake_yookassa.requests)

        # when
        response = send_webhook(customer_client, fake_yookassa.notification(payment.provider_payment_id))

        # then
        assert response.status_code == 200
        payment.refresh_from_db()
        order.refresh_from_db()
        assert payment.status == PaymentStatus.SUCCEEDED
        assert order.status == "paid"
        assert order.payment_reference == payment.provider_payment_id
        refetch = fake_yookassa.requests[requests_before:]
        assert [(item["method"], item["path"]) for item in refetch] == [
            ("GET", f"/v3/payments/{payment.provider_payment_id}")
        ]
        kinds = list(PaymentEvent.objects.filter(payment=payment).values_list("kind", flat=True))
        assert EventKind.WEBHOOK_RECEIVED in kinds
        assert EventKind.STATUS_CHANGED in kinds

    def test_tampered_body_claiming_success_changes_nothing(self, customer_client, order, fake_yookassa):
        # given: у ЮKassa платёж всё ещё pending, а тело уведомления утверждает succeeded
        payment = start_payment(customer_client, order)
        forged = fake_yookassa.notification(payment.provider_payment_id, "payment.succeeded")
        forged["object"] = {**forged["object"], "status": "succeeded", "paid": True}

        # when
        response = send_webhook(customer_client, forged)

        # then: верим только перечитанному состоянию
        assert response.status_code == 200
        payment.refresh_from_db()
        order.refresh_from_db()
        assert payment.status == PaymentStatus.PENDING
        assert order.status == "awaiting_payment"

    def test_same_notification_twice_changes_state_once(self, customer_client, order, fake_yookassa):
        payment = start_payment(customer_client, order)
        fake_yookassa.set_status(payment.provider_payment_id, "succeeded")
        body = fake_yookassa.notification(payment.provider_payment_id)

        assert send_webhook(customer_client, body).status_code == 200
        assert send_webhook(customer_client, body).status_code == 200

        assert paid_transitions(order) == 1
        assert PaymentEvent.objects.filter(payment=payment, kind=EventKind.STATUS_CHANGED).count() == 1

    def test_stale_waiting_for_capture_after_succeeded_keeps_succeeded(self, customer_client, order, fake_yookassa):
        # given: пришло succeeded, затем запоздавшее waiting_for_capture
        payment = start_payment(customer_client, order)
        fake_yookassa.set_status(payment.provider_payment_id, "succeeded")
        send_webhook(customer_client, fake_yookassa.notification(payment.provider_payment_id))
        stale = fake_yookassa.notification(payment.provider_payment_id, "payment.waiting_for_capture")

        # when
        response = send_webhook(customer_client, stale)

        # then
        assert response.status_code == 200
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.SUCCEEDED

    def test_out_of_order_succeeded_before_waiting_for_capture_ends_succeeded(
        self, customer_client, order, fake_yookassa
    ):
        payment = start_payment(customer_client, order)
        fake_yookassa.set_status(payment.provider_payment_id, "waiting_for_capture")
        early = fake_yookassa.notification(payment.provider_payment_id, "payment.waiting_for_capture")
        fake_yookassa.set_status(payment.provider_payment_id, "succeeded")

        # уведомление о succeeded пришло первым, а о waiting_for_capture — вторым
        send_webhook(customer_client, fake_yookassa.notification(payment.provider_payment_id))
        send_webhook(customer_client, early)

        payment.refresh_from_db()
        order.refresh_from_db()
        assert payment.status == PaymentStatus.SUCCEEDED
        assert order.status == "paid"

    def test_amount_mismatch_flags_payment_for_review_and_keeps_order_unpaid(
        self, customer_client, order, fake_yookassa
    ):
        # given: у провайдера сумма платежа не та, что у заказа
        payment = start_payment(customer_client, order)
        fake_yookassa.set_status(payment.provider_payment_id, "succeeded", amount={"value": "13.00", "currency": "RUB"})

        # when
        send_webhook(customer_client, fake_yookassa.notification(payment.provider_payment_id))

        # then
        payment.refresh_from_db()
        order.refresh_from_db()
        assert payment.needs_review is True
        assert "13.00" in payment.review_reason
        assert order.status == "awaiting_payment"
        assert PaymentEvent.objects.filter(payment=payment, kind=EventKind.REVIEW_FLAGGED).exists()

    def test_currency_mismatch_flags_payment_for_review(self, customer_client, order, fake_yookassa):
        payment = start_payment(customer_client, order)
        fake_yookassa.set_status(
            payment.provider_payment_id, "succeeded", amount={"value": "1300.00", "currency": "USD"}
        )

        send_webhook(customer_client, fake_yookassa.notification(payment.provider_payment_id))

        payment.refresh_from_db()
        order.refresh_from_db()
        assert payment.needs_review is True
        assert order.paid_at is None

    def test_payment_for_a_cancelled_order_is_flagged_not_paid(self, customer_client, order, fake_yookassa):
        payment = start_payment(customer_client, order)
        order.refresh_from_db()
        order.status = "cancelled"
        order.save(update_fields=["status"])
        fake_yookassa.set_status(payment.provider_payment_id, "succeeded")

        send_webhook(customer_client, fake_yookassa.notification(payment.provider_payment_id))

        payment.refresh_from_db()
        order.refresh_from_db()
        assert payment.needs_review is True
        assert order.status == "cancelled"

    def test_behind_a_trusted_proxy_the_forwarded_address_is_checked(
        self, customer_client, order, fake_yookassa, settings
    ):
        settings.TRUSTED_PROXIES = ["127.0.0.1"]
        payment = start_payment(customer_client, order)
        fake_yookassa.set_status(payment.provider_payment_id, "succeeded")

        response = send_webhook(
            customer_client,
            fake_yookassa.notification(payment.provider_payment_id),
            ip="127.0.0.1",
            HTTP_X_FORWARDED_FOR=YOOKASSA_IP,
        )

        assert response.status_code == 200
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.SUCCEEDED

    def test_provider_down_during_refetch_gives_503_so_the_provider_retries(
        self, customer_client, order, fake_yookassa
    ):
        payment = start_payment(customer_client, order)
        fake_yookassa.set_status(payment.provider_payment_id, "succeeded")
        fake_yookassa.fail_next = [500]

        response = send_webhook(customer_client, fake_yookassa.notification(payment.provider_payment_id))

        assert response.status_code == 503
        assert response.json()["error"]["code"] == "payment_provider_unavailable"
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.PENDING


@pytest.mark.django_db
class TestForgedNotifications:
    def test_notification_from_a_foreign_address_is_403_and_logged(self, customer_client, order, fake_yookassa):
        payment = start_payment(customer_client, order)
        fake_yookassa.set_status(payment.provider_payment_id, "succeeded")

        response = send_webhook(customer_client, fake_yookassa.notification(payment.provider_payment_id), ip=FOREIGN_IP)

        assert response.status_code == 403
        assert response.json()["error"]["code"] == "webhook_source_forbidden"
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.PENDING
        rejected = PaymentEvent.objects.get(kind=EventKind.WEBHOOK_REJECTED)
        assert rejected.source_ip == FOREIGN_IP
        assert rejected.code == "source_not_allowed"

    def test_spoofed_forwarded_header_from_an_untrusted_client_is_ignored(
        self, customer_client, order, fake_yookassa, settings
    ):
        settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
        payment = start_payment(customer_client, order)
        fake_yookassa.set_status(payment.provider_payment_id, "succeeded")

        response = send_webhook(
            customer_client,
            fake_yookassa.notification(payment.provider_payment_id),
            ip=FOREIGN_IP,
            HTTP_X_FORWARDED_FOR=YOOKASSA_IP,
        )

        assert response.status_code == 403
        assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING

    def test_unknown_payment_id_is_404_and_logged(self, customer_client, order, fake_yookassa):
        body = {"type": "notification", "event": "payment.succeeded", "object": {"id": "2e1f-unknown"}}

        response = send_webhook(customer_client, body)

        assert response.status_code == 404
        assert response.json()["error"]["code"] == "webhook_unknown_object"
        assert PaymentEvent.objects.filter(kind=EventKind.WEBHOOK_REJECTED, code="unknown_object").exists()

    @pytest.mark.parametrize("body", [b"", b"{not json", b"[]", b'{"type": "notification"}'])
    def test_malformed_body_is_400_and_logged(self, customer_client, fake_yookassa, body):
        response = send_webhook(customer_client, body)

        assert response.status_code == 400
        assert response.json()["error"]["code"] == "webhook_invalid"
        assert PaymentEvent.objects.filter(kind=EventKind.WEBHOOK_REJECTED).count() == 1

    def test_webhook_for_a_disabled_provider_is_404(self, customer_client, fake_yookassa):
        response = customer_client.post(
            "/api/v1/payments/webhooks/paypal/", data=b"{}", content_type="application/json", REMOTE_ADDR=YOOKASSA_IP
        )

        assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only(reason="параллельные уведомления в настоящих потоках: блокировка строки платежа")
def test_five_concurrent_out_of_order_webhooks_give_one_transition_to_paid(customer_client, order, fake_yookassa):
    # given
    payment = start_payment(customer_client, order)
    fake_yookassa.set_status(payment.provider_payment_id, "succeeded")
    events = ["payment.succeeded", "payment.waiting_for_capture", "payment.succeeded", "payment.succeeded", None]
    bodies = [fake_yookassa.notification(payment.provider_payment_id, event) for event in events]

    def deliver(body):
        from rest_framework.test import APIClient

        return send_webhook(APIClient(), body).status_code

    # when
    statuses = run_concurrently([lambda body=body: deliver(body) for body in bodies])

    # then
    assert statuses == [200] * 5
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert order.status == "paid"
    assert paid_transitions(order) == 1
    assert (
        PaymentEvent.objects.filter(payment=payment, kind=EventKind.STATUS_CHANGED, to_status="succeeded").count() == 1
    )
    # чек один: он регистрируется вместе с созданием платежа, и платёж создан один раз
    assert len(fake_yookassa.posts("/payments")) == 1


@pytest.mark.django_db
def test_payment_events_are_append_only_in_code_and_in_the_database(customer_client, order, fake_yookassa):
    start_payment(customer_client, order)
    event = PaymentEvent.objects.first()

    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        PaymentEvent.objects.all().delete()
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE payments_paymentevent SET code = 'x' WHERE id = %s", [event.pk])


@pytest.mark.django_db
def test_secrets_in_provider_payloads_are_masked_in_the_journal(customer_client, order, fake_yookassa):
    payment = start_payment(customer_client, order)
    fake_yookassa.set_status(
        payment.provider_payment_id,
        "succeeded",
        payment_method={"type": "bank_card", "card": {"first6": "555555", "last4": "4444", "expiry_year": "2030"}},
    )

    send_webhook(customer_client, fake_yookassa.notification(payment.provider_payment_id))

    changed = PaymentEvent.objects.get(payment=payment, kind=EventKind.STATUS_CHANGED)
    card = changed.payload["payment_method"]["card"]
    assert card == {"first6": "***", "last4": "4444", "expiry_year": "***"}
    assert Decimal(changed.payload["amount"]["value"]) == Decimal("1300.00")


@pytest.mark.django_db
class TestRejectedNotificationStorage:
    """Отклонённые уведомления: в журнале только хеш и короткое начало тела, источник под лимитом."""

    def test_rejected_notification_stores_only_a_hash_and_a_short_prefix(self, customer_client, fake_yookassa):
        # given: 4 КБ мусора с чужого адреса
        body = b'{"type": "notification", "junk": "' + b"x" * 4096 + b'"}'

        # when
        response = send_webhook(customer_client, body, ip=FOREIGN_IP)

        # then
        assert response.status_code == 403
        rejected = PaymentEvent.objects.get(kind=EventKind.WEBHOOK_REJECTED)
        assert rejected.payload == {
            "body_sha256": hashlib.sha256(body).hexdigest(),
            "body_bytes": len(body),
            "body_prefix": body[:256].decode(),
        }

    def test_unknown_object_from_a_trusted_source_is_also_stored_as_a_hash(self, customer_client, fake_yookassa):
        body = {"type": "notification", "event": "payment.succeeded", "object": {"id": "2e1f-unknown", "x": "y" * 900}}

        send_webhook(customer_client, body)

        rejected = PaymentEvent.objects.get(kind=EventKind.WEBHOOK_REJECTED, code="unknown_object")
        assert set(rejected.payload) == {"body_sha256", "body_bytes", "body_prefix"}
        assert len(rejected.payload["body_prefix"]) == 256

    def test_accepted_notification_keeps_the_body_in_the_journal(self, customer_client, order, fake_yookassa):
        payment = start_payment(customer_client, order)
        fake_yookassa.set_status(payment.provider_payment_id, "succeeded")
        body = fake_yookassa.notification(payment.provider_payment_id)

        assert send_webhook(customer_client, body).status_code == 200

        received = PaymentEvent.objects.get(kind=EventKind.WEBHOOK_RECEIVED)
        assert json.loads(received.payload["body"]) == body

    def test_source_over_the_rejection_limit_gets_429_and_stores_nothing_more(
        self, customer_client, fake_yookassa, settings
    ):
        # given
        settings.PAYMENTS_WEBHOOK_REJECTED_LIMIT = 3

        # when
        statuses = [send_webhook(customer_client, b"{}", ip=FOREIGN_IP).status_code for _ in range(6)]

        # then
        assert statuses == [403, 403, 403, 429, 429, 429]
        assert PaymentEvent.objects.filter(kind=EventKind.WEBHOOK_REJECTED).count() == 3
        throttled = send_webhook(customer_client, b"{}", ip=FOREIGN_IP)
        assert throttled.json()["error"]["code"] == "webhook_throttled"
        assert int(throttled["Retry-After"]) > 0

    def test_limit_counts_per_ip_and_ipv6_per_64_network(self, customer_client, fake_yookassa, settings):
        # given: один адрес исчерпал лимит, соседи из той же /64 — тоже под ним
        settings.PAYMENTS_WEBHOOK_REJECTED_LIMIT = 2
        for suffix in ("1", "2"):
            send_webhook(customer_client, b"{}", ip=f"2001:db8:1:2::{suffix}")

        # when
        same_network = send_webhook(customer_client, b"{}", ip="2001:db8:1:2::ffff")
        other_network = send_webhook(customer_client, b"{}", ip="2001:db8:1:3::1")
        other_ipv4 = send_webhook(customer_client, b"{}", ip=FOREIGN_IP)

        # then
        assert same_network.status_code == 429
        assert other_network.status_code == 403
        assert other_ipv4.status_code == 403

    def test_trusted_provider_over_the_limit_still_gets_its_notifications_applied(
        self, customer_client, order, fake_yookassa, settings
    ):
        # given: с адреса ЮKassa уже был потолок отказов (уведомления о чужих платежах)
        settings.PAYMENTS_WEBHOOK_REJECTED_LIMIT = 1
        unknown = {"type": "notification", "event": "payment.succeeded", "object": {"id": "2e1f-unknown"}}
        send_webhook(customer_client, unknown)
        assert send_webhook(customer_client, unknown).status_code == 429
        payment = start_payment(customer_client, order)
        fake_yookassa.set_status(payment.provider_payment_id, "succeeded")

        # when
        response = send_webhook(customer_client, fake_yookassa.notification(payment.provider_payment_id))

        # then: лимит касается только отказов, проверенное уведомление принимается
        assert response.status_code == 200
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.SUCCEEDED
