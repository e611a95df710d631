"""Бюджет SQL оформления и добавления в корзину — через настоящий API, как считает `make bench`.

Считается всё, что запрос делает с базой, включая BEGIN/COMMIT, точки сохранения и работу
после фиксации (пересчёт предложений каталога): тесты с transaction=True, как у работающего
сервера. Первый запрос прогревает кэши процесса (регионы, снимок акций), считается второй —
и число запросов не зависит от числа строк корзины.
"""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commerce.orders.models import Order
from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request
from tests.commerce.promotions.conftest import promotion_create

pytestmark = pytest.mark.django_db(transaction=True)

# Оформление само (заказ, строки, резервы, история, корзина, ключ, промокод) и его ответ;
# без промокода — на два меньше (нет чтения кода и записи применения).
CHECKOUT_OWN_BUDGET = 23
# Пересчёт предложений каталога после фиксации (commerce.catalog.offers) — на любое число товаров.
OFFER_REFRESH_BUDGET = 13
ADD_TO_CART_BUDGET = 6
ADD_TO_EXISTING_CART_BUDGET = 10


def _report(context):
    return "\n".join(f"{index}. {query['sql'][:200]}" for index, query in enumerate(context.captured_queries, 1))


def _offer_refresh_queries(context):
    """Запросы после COMMIT оформления, которые делает пересчёт предложений (от BEGIN до COMMIT)."""
    sql = [query["sql"] for query in context.captured_queries]
    first_commit = sql.index("COMMIT")
    begin = sql.index("BEGIN", first_commit)
    return sql.index("COMMIT", begin) - begin + 1


@pytest.fixture(autouse=True)
def _quiet(settings):
    settings.ORDERS_NOTIFY_EMAIL = False
    settings.ORDERS_NOTIFY_SMS = False


def _promo_cart(shop, lines):
    cart = cart_create(region=shop.msk, lines=lines)
    cart.promo_code = "TEN"
    cart.save(update_fields=["promo_code"])
    return cart


@pytest.mark.parametrize("extra_lines", [0, 3])
def test_checkout_with_promotion_and_delivery_fits_the_sql_budget(shop, extra_lines):
    # given: промокод на 10 %, прогретый процесс (первое оформление другой корзины),
    # корзина из трёх строк (и ещё extra_lines) с этим кодом и курьерской доставкой
    promotion_create(code="TEN")
    warm = _promo_cart(shop, [(shop.variant("WARM-1", price="100", stock=5), 1)])
    assert checkout_request(cart=warm, key=str(uuid.uuid4())).status_code == 201
    lines = [(shop.phone, 1), (shop.shirt, 2), (shop.laptop, 1)]
    lines += [(shop.variant(f"EXTRA-{index}", price="100", stock=5), 1) for index in range(extra_lines)]
    cart = _promo_cart(shop, lines)
    # when
    with CaptureQueriesContext(connection) as context:
        response = checkout_request(cart=cart, payload=checkout_payload(), key=str(uuid.uuid4()))
    # then
    assert response.status_code == 201, response.json()
    order = Order.objects.get(number=response.json()["number"])
    assert order.discount_total > 0 and order.lines.count() == len(lines) and order.delivery_cost >= 0
    refresh = _offer_refresh_queries(context)
    assert refresh <= OFFER_REFRESH_BUDGET, _report(context)
    assert len(context.captured_queries) - refresh <= CHECKOUT_OWN_BUDGET, _report(context)


def test_first_add_to_cart_fits_the_sql_budget(shop):
    # given: прогретый процесс
    client = APIClient()
    headers = {"HTTP_X_REGION": "msk"}
    client.post("/api/v1/cart/lines/", {"variant_id": shop.shirt.pk, "quantity": 1}, format="json", **headers)
    # when: первое добавление без токена создаёт корзину
    with CaptureQueriesContext(connection) as context:
        response = client.post(
            "/api/v1/cart/lines/", {"variant_id": shop.phone.pk, "quantity": 1}, format="json", **headers
        )
    # then
    assert response.status_code == 200, response.json()
    assert [line["sku"] for line in response.json()["lines"]] == ["PHONE-1"]
    assert len(context.captured_queries) <= ADD_TO_CART_BUDGET, _report(context)


@pytest.mark.parametrize("lines_before", [1, 4])
def test_add_to_existing_cart_fits_the_sql_budget(shop, lines_before):
    # given: прогретый процесс и анонимная корзина с lines_before строками
    client = APIClient()
    cart = cart_create(
        region=shop.msk,
        lines=[(shop.variant(f"IN-{index}", price="100", stock=5), 1) for index in range(lines_before)],
    )
    headers = {"HTTP_X_REGION": "msk", "HTTP_X_CART_TOKEN": cart.token}
    client.post("/api/v1/cart/lines/", {"variant_id": shop.shirt.pk, "quantity": 1}, format="json", **headers)
    # when
    with CaptureQueriesContext(connection) as context:
        response = client.post(
            "/api/v1/cart/lines/", {"variant_id": shop.phone.pk, "quantity": 1}, format="json", **headers
        )
    # then
    assert response.status_code == 200, response.json()
    assert len(response.json()["lines"]) == lines_before + 2
    assert len(context.captured_queries) <= ADD_TO_EXISTING_CART_BUDGET, _report(context)
