"""Демо-заказы для `manage.py seed_demo`: несколько заказов в разных статусах, с платежами.

Всё идёт через сервисы магазина, как у настоящего покупателя и менеджера: корзина
(cart_line_add) → оформление (OrderPlacer) → оплата тестовым провайдером (payment_start,
sandbox_payment_simulate) → смена статусов менеджером (order_status_change). Поэтому резервы,
история статусов, журнал платежей и уведомления в демо такие же, как в работе.

Модуль лежит в платежах, потому что платежи и так зависят от заказов и корзины, а обратной
зависимости нет (контракт import-linter «без циклов»). Идемпотентно: заказ узнаётся по
комментарию «Демо-заказ N»; уже созданные не повторяются и не меняются.
"""

from django.conf import settings

from commerce.cart.services import cart_line_add, cart_resolve
from commerce.catalog.offers import product_offer_refresh
from commerce.inventory.models import Stock
from commerce.orders.models import Order, PaymentMethod
from commerce.orders.services import Contact, Delivery, OrderPlacer, order_status_change
from commerce.orders.status import OrderStatus
from commerce.payments.models import PaymentStatus
from commerce.payments.providers.registry import enabled_provider_codes
from commerce.payments.services import payment_start, sandbox_payment_simulate
from regions.models import Region

S = OrderStatus
# Номер, регион, способ оплаты, что сделать с оплатой, путь статусов менеджера после оформления.
DEMO_ORDERS = [
    (1, "msk", PaymentMethod.ONLINE, "pay", []),
    (2, "msk", PaymentMethod.CASH_ON_DELIVERY, None, []),
    (3, "spb", PaymentMethod.ONLINE, "start", []),
    (4, "spb", PaymentMethod.ONLINE, "pay", [S.ASSEMBLING, S.SHIPPED]),
    (5, "kzn", PaymentMethod.CASH_ON_DELIVERY, None, [S.ASSEMBLING, S.SHIPPED, S.DELIVERED, S.COMPLETED]),
    (6, "kzn", PaymentMethod.ONLINE, None, [S.CANCELLED]),
]
CUSTOMERS = [
    ("Анна Смирнова", "+79161234501"),
    ("Игорь Петров", "+79161234502"),
    ("Мария Иванова", "+79161234503"),
]
ADDRESSES = {
    "msk": {"city": "Москва", "street": "ул. Арбат", "house": "10", "apartment": "5"},
    "spb": {"city": "Санкт-Петербург", "street": "ул. Рубинштейна", "house": "7"},
    "kzn": {"city": "Казань", "street": "ул. Пушкина", "house": "3"},
}


def demo_order_comment(number):
    """Комментарий, по которому seed_demo узнаёт свой демо-заказ."""
    return f"Демо-заказ {number}"


def seed_demo_orders(*, stdout):
    """Создать демо-заказы, которых ещё нет (онлайн-оплата — только если включён тестовый провайдер)."""
    online_ready = "test" in enabled_provider_codes()
    regions = {region.code: region for region in Region.objects.filter(is_active=True)}
    ordered_variant_ids = []
    for number, region_code, payment_method, payment_action, path in DEMO_ORDERS:
        region = regions.get(region_code)
        if region is None or Order.objects.filter(comment=demo_order_comment(number)).exists():
            continue
        if payment_method == PaymentMethod.ONLINE and not online_ready:
            continue
        variant_ids = _variants_in_stock(region=region, count=1 + number % 3)
        if not variant_ids:
            continue
        order = _order_place(number=number, region=region, payment_method=payment_method, variant_ids=variant_ids)
        ordered_variant_ids.extend(variant_ids)
        if payment_action:
            payment = payment_start(order=order, return_url=_return_url(order), provider_code="test")
            if payment_action == "pay":
                sandbox_payment_simulate(payment=payment, outcome=PaymentStatus.SUCCEEDED)
        for to_status in path:
            order.refresh_from_db()
            order_status_change(order=order, to_status=to_status, comment="Демо: действие менеджера")
        order.refresh_from_db()
        stdout.write(f"Демо-заказ {order.number}: {order.get_status_display()}.")
    if ordered_variant_ids:
        # Оформление пересчитывает предложения (наличие) после COMMIT; seed_demo — одна транзакция,
        # и наличие в каталоге должно сойтись с резервами сразу, а не после фиксации.
        product_ids = Stock.objects.filter(variant_id__in=ordered_variant_ids).values_list(
            "variant__product_id", flat=True
        )
        product_offer_refresh(product_ids=list(product_ids))


def _variants_in_stock(*, region, count):
    """Вернуть id вариантов, которые есть на складах региона (по одному на товар)."""
    rows = (
        Stock.objects.filter(
            warehouse__region=region, quantity__gte=5, variant__is_active=True, variant__product__is_active=True
        )
        .order_by("variant__product_id", "variant_id")
        .values_list("variant_id", "variant__product_id")
    )
    chosen, products = [], set()
    for variant_id, product_id in rows[:200]:
        if product_id in products:
            continue
        products.add(product_id)
        chosen.append(variant_id)
        if len(chosen) == count:
            break
    return chosen


def _order_place(*, number, region, payment_method, variant_ids):
    cart, _merged = cart_resolve(user=None, token="", region=region, create=True)
    for variant_id in variant_ids:
        cart_line_add(cart=cart, variant_id=variant_id, quantity=1)
    name, phone = CUSTOMERS[number % len(CUSTOMERS)]
    return OrderPlacer(
        cart=cart,
        user=None,
        # Без e-mail: письма о статусах демо-заказов заняли бы сотни строк вывода `make run`.
        contact=Contact(name=name, phone=phone),
        delivery=Delivery(method="courier", address=ADDRESSES[region.code]),
        payment_method=payment_method,
        comment=demo_order_comment(number),
    ).run()


def _return_url(order):
    base = (settings.STOREFRONT_URL or "http://localhost:3000").rstrip("/")
    return f"{base}/orders/{order.number}/"
