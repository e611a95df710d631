"""Возвраты, двухстадийные платежи и списание резерва при оплате — ровно один раз."""

from decimal import Decimal

import pytest

from commerce.inventory.models import Stock
from commerce.orders.models import Order
from commerce.payments import services
from commerce.payments.models import Payment, PaymentStatus, Refund, RegionPaymentProvider
from tests.commerce.orders.helpers import cart_create, checkout_request, run_concurrently
from tests.commerce.payments.conftest import RETURN_URL
from tests.commerce.payments.test_webhooks import send_webhook, start_payment
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def paid_payment(client, order, fake_yookassa):
    payment = start_payment(client, order)
    fake_yookassa.set_status(payment.provider_payment_id, "succeeded")
    send_webhook(client, fake_yookassa.notification(payment.provider_payment_id))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    return payment


def test_paid_order_turns_its_reservation_into_a_stock_decrease_exactly_once(api_client, catalog, fake_yookassa):
    # given: настоящий заказ с резервом 2 шт. из 5 на складе Москвы
    RegionPaymentProvider.objects.create(region=catalog.msk, provider="yookassa")
    cart = cart_create(region=catalog.msk, lines=[(catalog.phone_black.variant, 2)])
    response = checkout_request(cart=cart)
    assert response.status_code == 201, response.json()
    order = Order.objects.get(number=response.json()["number"])
    stock = Stock.objects.get(variant=catalog.phone_black.variant, warehouse=catalog.msk_warehouse)
    assert (stock.quantity, stock.reserved) == (5, 2)
    payment = start_payment_as_guest(api_client, order)
    fake_yookassa.set_status(payment.provider_payment_id, "succeeded")

    # when: уведомление пришло дважды
    for _ in range(2):
        assert send_webhook(api_client, fake_yookassa.notification(payment.provider_payment_id)).status_code == 200

    # then: склад списан один раз, резерв снят
    stock.refresh_from_db()
    assert (stock.quantity, stock.reserved) == (3, 0)
    order.refresh_from_db()
    assert order.status == "paid"


def start_payment_as_guest(client, order):
    response = client.post(
        f"/api/v1/orders/{order.number}/pay",
        {"return_url": RETURN_URL},
        format="json",
        HTTP_X_ORDER_TOKEN=order.token,
    )
    assert response.status_code == 200, response.json()
    return Payment.objects.get(pk=response.json()["id"])


def test_partial_then_full_refund(customer_client, order, fake_yookassa):
    payment = paid_payment(customer_client, order, fake_yookassa)
    manager = UserFactory(is_staff=True)

    services.refund_create(payment=payment, amount=Decimal("300.00"), reason="Доставка не понадобилась", actor=manager)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert payment.refunded_amount == Decimal("300.00")

    services.refund_create(payment=payment, amount=Decimal("1000.00"), reason="Возврат товара", actor=manager)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert list(Refund.objects.filter(payment=payment).values_list("status", flat=True)) == ["succeeded"] * 2
    refund_receipt = fake_yookassa.posts("/refunds")[-1]["body"]["receipt"]
    assert refund_receipt["items"][0]["amount"] == {"value": "1000.00", "currency": "RUB"}


@pytest.mark.parametrize("amount", ["0", "-5", "1300.01"])
def test_refund_amount_outside_the_paid_rest_is_refused(customer_client, order, fake_yookassa, amount):
    from commerce.payments.exceptions import RefundAmountInvalid

    payment = paid_payment(customer_client, order, fake_yookassa)

    with pytest.raises(RefundAmountInvalid):
        services.refund_create(payment=payment, amount=Decimal(amount), reason="—", actor=None)
    assert Refund.objects.count() == 0


def test_refund_of_an_unpaid_payment_is_refused(customer_client, order, fake_yookassa):
    from commerce.payments.exceptions import RefundNotAllowed

    payment = start_payment(customer_client, order)

    with pytest.raises(RefundNotAllowed):
        services.refund_create(payment=payment, amount=Decimal("1.00"), reason="—", actor=None)


def test_provider_failure_during_refund_leaves_no_refund_row(customer_client, order, fake_yookassa):
    from commerce.payments.exceptions import ProviderUnavailable

    payment = paid_payment(customer_client, order, fake_yookassa)
    fake_yookassa.fail_next = [503]

    with pytest.raises(ProviderUnavailable):
        services.refund_create(payment=payment, amount=Decimal("100.00"), reason="—", actor=None)

    payment.refresh_from_db()
    assert Refund.objects.count() == 0
    assert payment.refunded_amount == Decimal("0.00")


@pytest.mark.postgres_only(
    reason="тестовая SQLite — в памяти с общим кэшем: второй писатель сразу получает «table is locked» "
    "(без ожидания, как у файла), так что исход гонки зависит от нагрузки машины; гонку проверяет PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_full_refunds_never_exceed_the_payment(customer_client, order, fake_yookassa):
    payment = paid_payment(customer_client, order, fake_yookassa)

    def refund():
        return services.refund_create(payment=payment, amount=Decimal("1300.00"), reason="—", actor=None)

    results = run_concurrently([refund, refund])

    assert sum(isinstance(result, Refund) for result in results) == 1, results
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("1300.00")
    assert len(fake_yookassa.refunds) == 1


def test_two_stage_payment_is_captured_by_a_manager(customer_client, order, fake_yookassa):
    payment = start_payment(customer_client, order)
    fake_yookassa.set_status(payment.provider_payment_id, "waiting_for_capture")
    services.payment_sync(payment=payment)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.WAITING_FOR_CAPTURE

    services.payment_capture(payment=payment, actor=UserFactory(is_staff=True))

    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert order.status == "paid"


def test_cancelled_payment_lets_the_customer_start_a_new_one(customer_client, order, fake_yookassa):
    payment = start_payment(customer_client, order)
    services.payment_cancel(payment=payment, actor=None)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED

    second = start_payment(customer_client, order)

    assert second.pk != payment.pk
    assert len(fake_yookassa.payments) == 2
