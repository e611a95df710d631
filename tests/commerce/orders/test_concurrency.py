"""Надёжность оформления под конкуренцией: настоящие потоки, свои соединения, настоящий PostgreSQL.

Каждый поток — отдельный запрос API со своим соединением с базой; барьер отпускает их
одновременно. Исход детерминирован: его определяют блокировки строк остатков и ограничения
базы, а не удачное расписание потоков.
"""

from collections import Counter

import pytest

from commerce.catalog.models import ProductOffer
from commerce.inventory.models import Stock
from commerce.orders.models import Order, OrderLine
from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request, run_concurrently

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres_only(reason="гонки покупателей в настоящих потоках: блокировки строк SELECT ... FOR UPDATE"),
]

RUNS = 20
BUYERS = 50
UNITS = 5


@pytest.fixture(autouse=True)
def _quiet(settings):
    settings.ORDERS_NOTIFY_EMAIL = False
    settings.ORDERS_NOTIFY_SMS = False
    # Сотни оформлений с одного адреса и телефона: потолки частоты здесь не проверяются.
    settings.ORDERS_CHECKOUT_RATE_IP = settings.ORDERS_CHECKOUT_RATE_PHONE = ""


def test_fifty_buyers_for_last_five_units_get_five_orders_and_forty_five_clean_409s(shop):
    for run in range(RUNS):
        # given: 5 последних штук и 50 корзин по одной штуке
        variant = shop.variant(f"HOT-{run}", price="1000", stock=UNITS)
        carts = [cart_create(region=shop.msk, lines=[(variant, 1)]) for _buyer in range(BUYERS)]
        # when: все оформляют одновременно
        responses = run_concurrently([lambda cart=cart: checkout_request(cart=cart) for cart in carts])
        # then
        errors = [response for response in responses if isinstance(response, BaseException)]
        assert not errors, f"прогон {run}: исключения {errors[:3]}"
        statuses = Counter(response.status_code for response in responses)
        assert statuses == {201: UNITS, 409: BUYERS - UNITS}, f"прогон {run}: {statuses}"
        codes = {response.json()["error"]["code"] for response in responses if response.status_code == 409}
        assert codes == {"stock_insufficient"}
        assert OrderLine.objects.filter(variant=variant).count() == UNITS
        stock = Stock.objects.get(variant=variant, warehouse=shop.msk_warehouse)
        assert (stock.quantity, stock.reserved, stock.available) == (UNITS, UNITS, 0)
        # Предложение пересчитано после фиксации каждого заказа: в списке товара больше нет.
        offer = ProductOffer.objects.get(product_id=variant.product_id, region=shop.msk)
        assert (offer.in_stock, offer.available_quantity) == (False, 0), f"прогон {run}"


def test_two_carts_with_same_variants_in_opposite_order_never_deadlock(shop):
    for run in range(RUNS):
        # given: у каждого варианта хватает на обе корзины; строки корзин — в обратном порядке
        first = shop.variant(f"A-{run}", price="100", stock=10)
        second = shop.variant(f"B-{run}", price="200", stock=10)
        forward = cart_create(region=shop.msk, lines=[(first, 2), (second, 3)])
        backward = cart_create(region=shop.msk, lines=[(second, 3), (first, 2)])
        # when
        responses = run_concurrently([lambda cart=cart: checkout_request(cart=cart) for cart in (forward, backward)])
        # then: обе оформлены, ни одной ошибки базы
        assert [response.status_code for response in responses] == [201, 201], [r.content for r in responses]
        stocks = {row.variant_id: row.reserved for row in Stock.objects.filter(variant__in=[first, second])}
        assert stocks == {first.pk: 4, second.pk: 6}


def test_opposite_order_carts_competing_for_scarce_stock_get_one_order_and_one_clean_409(shop):
    for run in range(RUNS):
        # given: каждого варианта хватает только на одну корзину
        first = shop.variant(f"C-{run}", price="100", stock=1)
        second = shop.variant(f"D-{run}", price="200", stock=1)
        forward = cart_create(region=shop.msk, lines=[(first, 1), (second, 1)])
        backward = cart_create(region=shop.msk, lines=[(second, 1), (first, 1)])
        responses = run_concurrently([lambda cart=cart: checkout_request(cart=cart) for cart in (forward, backward)])
        assert sorted(response.status_code for response in responses) == [201, 409]
        loser = next(response for response in responses if response.status_code == 409)
        assert loser.json()["error"]["code"] == "stock_insufficient"
        assert set(Stock.objects.filter(variant__in=[first, second]).values_list("reserved", flat=True)) == {1}


def test_same_idempotency_key_sent_concurrently_creates_exactly_one_order(shop):
    for run in range(5):
        variant = shop.variant(f"IDEM-{run}", price="100", stock=50)
        cart = cart_create(region=shop.msk, lines=[(variant, 1)])
        key = f"concurrent-key-{run}"
        payload = checkout_payload()
        request = lambda cart=cart, payload=payload, key=key: checkout_request(cart=cart, payload=payload, key=key)  # noqa: E731
        responses = run_concurrently([request] * 8)
        assert not [response for response in responses if isinstance(response, BaseException)]
        created = [response for response in responses if response.status_code == 201]
        busy = [response for response in responses if response.status_code == 409]
        assert len(created) + len(busy) == 8
        assert {response.json()["number"] for response in created} == {Order.objects.get(lines__variant=variant).number}
        assert {response.json()["error"]["code"] for response in busy} <= {"idempotency_request_in_progress"}
        assert Stock.objects.get(variant=variant).reserved == 1
