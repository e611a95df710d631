"""Тестовый провайдер для разработки и демо: «платёжный шлюз» внутри самого Megashop.

Платёж хранится в кэше (Redis в production-подобных установках), покупатель «платит»
запросом ``POST /api/v1/payments/test/{id}/`` с исходом succeeded, waiting_for_capture или
cancelled — так витрину можно довести до оплаченного заказа без настоящего шлюза. В production
выключен по умолчанию (PAYMENTS_TEST_PROVIDER_ENABLED).
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from commerce.payments.providers.base import (
    PaymentProvider,
    PaymentStatus,
    ProviderError,
    ProviderPayment,
    ProviderRefund,
    RefundStatus,
)

CACHE_PREFIX = "payments:test-provider:"
# Платёж тестового провайдера живёт неделю — дольше любой демо-сессии.
CACHE_TTL_SECONDS = 7 * 24 * 60 * 60
ALLOWED_OUTCOMES = {PaymentStatus.SUCCEEDED, PaymentStatus.WAITING_FOR_CAPTURE, PaymentStatus.CANCELLED}


def _key(payment_id):
    return f"{CACHE_PREFIX}{payment_id}"


class TestPaymentProvider(PaymentProvider):
    code = "test"
    is_online = True
    supports_webhooks = False
    name = _("Тестовая оплата")
    methods = (("bank_card", _("Банковская карта (тест)")),)

    def payment_create(self, request):
        payment_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"test-provider:{request.idempotence_key}"))
        state = cache.get(_key(payment_id))
        if state is None:
            state = {
                "status": PaymentStatus.PENDING,
                "amount": str(request.amount),
                "currency": request.currency,
                "metadata": {"order_number": request.order_number, **request.metadata},
                "refunded": "0.00",
            }
            cache.set(_key(payment_id), state, CACHE_TTL_SECONDS)
        return self._payment(payment_id, state)

    def payment_fetch(self, provider_payment_id):
        state = cache.get(_key(provider_payment_id))
        if state is None:
            raise ProviderError("not_found", "Тестовый платёж не найден.")
        return self._payment(provider_payment_id, state)

    def payment_capture(self, provider_payment_id, *, amount, currency, idempotence_key):
        return self._move(
            provider_payment_id, PaymentStatus.SUCCEEDED, allowed_from={PaymentStatus.WAITING_FOR_CAPTURE}
        )

    def payment_cancel(self, provider_payment_id, *, idempotence_key):
        return self._move(
            provider_payment_id,
            PaymentStatus.CANCELLED,
            allowed_from={PaymentStatus.PENDING, PaymentStatus.WAITING_FOR_CAPTURE},
        )

    def refund_create(self, provider_payment_id, *, amount, currency, description, idempotence_key, receipt=None):
        state = cache.get(_key(provider_payment_id))
        if state is None or state["status"] != PaymentStatus.SUCCEEDED:
            raise ProviderError("invalid_request", "Вернуть можно только успешный платёж.")
        refunded = Decimal(state["refunded"]) + Decimal(amount)
        if refunded > Decimal(state["amount"]):
            raise ProviderError("invalid_request", "Сумма возврата больше платежа.")
        state["refunded"] = str(refunded)
        cache.set(_key(provider_payment_id), state, CACHE_TTL_SECONDS)
        return ProviderRefund(
            provider_refund_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"test-refund:{idempotence_key}")),
            provider_payment_id=provider_payment_id,
            status=RefundStatus.SUCCEEDED,
            amount=Decimal(amount),
            currency=currency,
        )

    def simulate(self, provider_payment_id, *, outcome):
        """Изобразить действие покупателя: оплатить, оплатить с холдированием или отказаться."""
        if outcome not in ALLOWED_OUTCOMES:
            raise ProviderError("invalid_request", f"Неизвестный исход {outcome!r}.")
        return self._move(provider_payment_id, outcome, allowed_from={PaymentStatus.PENDING})

    def _move(self, provider_payment_id, status, *, allowed_from):
        state = cache.get(_key(provider_payment_id))
        if state is None:
            raise ProviderError("not_found", "Тестовый платёж не найден.")
        if state["status"] not in allowed_from:
            raise ProviderError("invalid_request", f"Платёж уже в статусе {state['status']}.")
        state["status"] = status
        cache.set(_key(provider_payment_id), state, CACHE_TTL_SECONDS)
        return self._payment(provider_payment_id, state)

    @staticmethod
    def _payment(payment_id, state):
        base_url = settings.PAYMENTS_TEST_CONFIRMATION_BASE_URL.rstrip("/")
        return ProviderPayment(
            provider_payment_id=payment_id,
            status=state["status"],
            amount=Decimal(state["amount"]),
            currency=state["currency"],
            confirmation_url=f"{base_url}/api/v1/payments/test/{payment_id}/",
            metadata=state["metadata"],
            refunded_amount=Decimal(state["refunded"]),
            raw=dict(state),
        )
