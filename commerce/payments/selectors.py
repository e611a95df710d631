"""Чтения платежей, которые делят представления, админка и сервисы."""

from commerce.orders.models import Order, PaymentMethod
from commerce.payments.models import Payment, RegionPaymentProvider
from commerce.payments.providers.registry import enabled_provider_codes, provider_get


def provider_codes_for_region(*, region_id):
    """Коды провайдеров, включённых в регионе и в настройках, в порядке сортировки."""
    enabled = set(enabled_provider_codes())
    rows = RegionPaymentProvider.objects.filter(region_id=region_id, is_enabled=True).order_by("sort_order", "provider")
    return [row.provider for row in rows if row.provider in enabled]


def provider_codes_for_payment_method(*, region_id, payment_method):
    """Коды провайдеров региона, которые принимают заказ с этим способом оплаты.

    Оплата при получении — провайдеры без шага оплаты (``is_online = False``), любой другой
    способ — онлайн-провайдеры. Пустой список: способ в регионе не включён.
    """
    online = payment_method != PaymentMethod.CASH_ON_DELIVERY
    return [code for code in provider_codes_for_region(region_id=region_id) if provider_get(code).is_online == online]


def payment_methods_enabled_for_region(*, region_id):
    """Способы оплаты заказа (значения PaymentMethod), для которых в регионе есть провайдер — один запрос.

    Источник commerce.orders.payment_methods (регистрируется в PaymentsConfig.ready()).
    """
    online = {provider_get(code).is_online for code in provider_codes_for_region(region_id=region_id)}
    return {method for method in PaymentMethod if (method != PaymentMethod.CASH_ON_DELIVERY) in online}


def order_for_update(*, order_id):
    """Перечитать заказ с блокировкой строки (внутри транзакции)."""
    return Order.objects.select_for_update().get(pk=order_id)


def payment_latest_for_order(*, order):
    """Последний платёж заказа или None."""
    return Payment.objects.filter(order=order).order_by("-created_at", "-id").first()


def payment_get_for_order(*, order, payment_id):
    """Платёж заказа по id или None: платёж чужого заказа неотличим от несуществующего."""
    return Payment.objects.filter(order=order, pk=payment_id).first()


def payment_get_by_provider_id(*, provider, provider_payment_id):
    """Платёж по id у провайдера или None."""
    return Payment.objects.filter(provider=provider, provider_payment_id=provider_payment_id).first()
