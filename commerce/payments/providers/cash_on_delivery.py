"""Оплата при получении: онлайн-шага нет, деньги принимает курьер или пункт выдачи.

Платёж создаётся в статусе pending без ссылки на оплату; менеджер подтверждает получение
денег (capture) — платёж succeeded. Уведомлений нет.
"""

import uuid

from django.utils.translation import gettext_lazy as _

from commerce.payments.providers.base import PaymentProvider, PaymentStatus, ProviderError, ProviderPayment


class CashOnDeliveryProvider(PaymentProvider):
    code = "cash_on_delivery"
    is_online = False
    supports_webhooks = False
    name = _("Оплата при получении")
    methods = (("cash", _("Наличными")), ("card_on_delivery", _("Картой при получении")))

    def payment_create(self, request):
        # Внешней системы нет: идентификатор выводится из ключа идемпотентности, поэтому
        # повтор с тем же ключом даёт тот же «платёж».
        payment_id = f"cod-{uuid.uuid5(uuid.NAMESPACE_URL, request.idempotence_key)}"
        return ProviderPayment(
            provider_payment_id=payment_id,
            status=PaymentStatus.PENDING,
            amount=request.amount,
            currency=request.currency,
            metadata={"order_number": request.order_number},
        )

    def payment_fetch(self, provider_payment_id):
        raise ProviderError("not_supported", "Состояние оплаты при получении хранится только у нас.")

    def payment_capture(self, provider_payment_id, *, amount, currency, idempotence_key):
        return ProviderPayment(
            provider_payment_id=provider_payment_id, status=PaymentStatus.SUCCEEDED, amount=amount, currency=currency
        )

    def payment_cancel(self, provider_payment_id, *, idempotence_key):
        raise ProviderError("not_supported", "Отмена оплаты при получении — это отмена заказа.")

    def refund_create(self, provider_payment_id, **kwargs):
        raise ProviderError("not_supported", "Возврат наличных оформляется вне системы.")
