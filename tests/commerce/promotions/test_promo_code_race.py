"""Лимит промокода под конкуренцией: 50 одновременных оформлений с кодом на 10 применений — ровно 10 заказов.

Настоящие потоки со своими соединениями и настоящий PostgreSQL, как в гонке за остатком
(tests/commerce/orders/test_concurrency.py): лимит держит блокировка строки кода в транзакции
оформления, а не удачное расписание потоков.
"""

from collections import Counter
from decimal import Decimal

import pytest

from commerce.orders.models import Order
from commerce.promotions.models import PromotionUsage
from tests.commerce.orders.helpers import cart_create, checkout_request, run_concurrently
from tests.commerce.promotions.conftest import promotion_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres_only(reason="гонка покупателей в настоящих потоках: блокировки строк SELECT ... FOR UPDATE"),
]

BUYERS = 50
LIMIT = 10


@pytest.fixture(autouse=True)
def _quiet(settings):
    settings.ORDERS_NOTIFY_EMAIL = False
    settings.ORDERS_NOTIFY_SMS = False
    settings.ORDERS_CHECKOUT_RATE_IP = settings.ORDERS_CHECKOUT_RATE_PHONE = ""


def test_fifty_concurrent_checkouts_with_a_code_limited_to_ten_uses_create_exactly_ten_discounted_orders(shop):
    # given: товара хватает всем, код — на 10 применений, 50 корзин с этим кодом
    variant = shop.variant("PROMO-HOT", price="1000", stock=BUYERS)
    promotion = promotion_create(code="TEN-ONLY", value="10")
    promotion.code.usage_limit = LIMIT
    promotion.code.save()
    carts = [cart_create(region=shop.msk, lines=[(variant, 1)]) for _buyer in range(BUYERS)]
    for cart in carts:
        cart.promo_code = "TEN-ONLY"
        cart.save(update_fields=["promo_code"])
    # when: все оформляют одновременно
    responses = run_concurrently([lambda cart=cart: checkout_request(cart=cart) for cart in carts])
    # then
    errors = [response for response in responses if isinstance(response, BaseException)]
    assert not errors, errors[:3]
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: LIMIT, 409: BUYERS - LIMIT}
    assert {response.json()["error"]["code"] for response in responses if response.status_code == 409} == {
        "promo_code_limit_reached"
    }
    orders = Order.objects.filter(promo_code="TEN-ONLY")
    assert orders.count() == Order.objects.count() == LIMIT
    assert set(orders.values_list("discount_total", flat=True)) == {Decimal("100.00")}
    assert PromotionUsage.objects.filter(code=promotion.code).count() == LIMIT
