"""API заказов покупателя: список, карточка, отмена, отслеживание без входа; чужое — 404."""

import pytest

from commerce.orders import services
from commerce.orders.models import Order
from commerce.orders.status import OrderStatus
from tests.commerce.orders.helpers import cart_create, checkout_payload
from tests.factories.accounts import UserFactory
from tests.factories.orders import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders/"


def place_as(api_client, shop, user, quantity=1):
    cart_create(region=shop.msk, lines=[(shop.shirt, quantity)], user=user)
    api_client.force_authenticate(user)
    response = api_client.post("/api/v1/checkout/", checkout_payload(), format="json", HTTP_X_REGION="msk")
    assert response.status_code == 201, response.json()
    return Order.objects.get(number=response.json()["number"])


def test_customer_sees_own_orders_newest_first(api_client, shop):
    user = UserFactory()
    first = place_as(api_client, shop, user)
    second = place_as(api_client, shop, user)
    OrderFactory(region=shop.msk)  # чужой заказ
    response = api_client.get(ORDERS)
    assert response.status_code == 200
    assert [row["number"] for row in response.json()["results"]] == [second.number, first.number]


def test_order_list_requires_login(api_client):
    response = api_client.get(ORDERS)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_someone_elses_order_is_404_in_detail_and_cancel(api_client, shop):
    owner, intruder = UserFactory(), UserFactory()
    order = place_as(api_client, shop, owner)
    api_client.force_authenticate(intruder)
    detail = api_client.get(f"{ORDERS}{order.number}/")
    cancel = api_client.post(f"{ORDERS}{order.number}/cancel/")
    assert (detail.status_code, cancel.status_code) == (404, 404)
    assert detail.json()["error"]["code"] == "not_found"
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW


def test_customer_cancels_unpaid_order_and_stock_is_released(api_client, shop):
    user = UserFactory()
    order = place_as(api_client, shop, user, quantity=2)
    response = api_client.post(f"{ORDERS}{order.number}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["can_cancel"] is False
    assert shop.shirt.stocks.get().reserved == 0
    assert [row["to_status"] for row in response.json()["history"]] == ["new", "cancelled"]


def test_customer_cannot_cancel_paid_order(api_client, shop):
    user = UserFactory()
    order = place_as(api_client, shop, user)
    services.order_mark_paid(order=order, payment_reference="pay")
    response = api_client.post(f"{ORDERS}{order.number}/cancel/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "order_not_cancellable"
    assert list(order.history.values_list("to_status", flat=True)) == ["new", "paid"]


def test_disallowed_transition_through_api_is_409_with_code(api_client, shop):
    user = UserFactory()
    order = place_as(api_client, shop, user)
    services.order_status_change(order=order, to_status=OrderStatus.CANCELLED)
    response = api_client.post(f"{ORDERS}{order.number}/cancel/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "order_not_cancellable"


@pytest.mark.parametrize("page_size", [1, 100])
def test_order_list_query_count_is_constant(api_client, shop, django_assert_max_num_queries, page_size):
    user = UserFactory()
    for _index in range(101):
        order = OrderFactory(region=shop.msk, user=user)
        OrderLineFactory.create_batch(3, order=order)
    api_client.force_authenticate(user)
    # пользователь (JWT подменён force_authenticate), регион, подсчёт, страница, строки, история
    with django_assert_max_num_queries(6):
        response = api_client.get(ORDERS, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
    assert len(response.json()["results"][0]["lines"]) == 3


def test_tracking_by_number_and_phone_without_login(api_client, shop):
    order = OrderFactory(region=shop.msk, contact_phone="+79161234567")
    response = api_client.get(f"{ORDERS}track/", {"number": order.number.lower(), "phone": "8 (916) 123-45-67"})
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == order.number
    assert "token" not in body
    assert "delivery_address" not in body


def test_tracking_with_wrong_phone_is_404(api_client, shop):
    order = OrderFactory(region=shop.msk, contact_phone="+79161234567")
    response = api_client.get(f"{ORDERS}track/", {"number": order.number, "phone": "+79160000000"})
    assert response.status_code == 404


def test_tracking_by_secret_link(api_client, shop):
    order = OrderFactory(region=shop.msk)
    assert api_client.get(f"{ORDERS}track/{order.token}/").json()["number"] == order.number
    assert api_client.get(f"{ORDERS}track/not-a-real-token/").status_code == 404


def test_tracking_is_throttled_per_client(api_client, shop, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"orders_track": "2/min"})
    query = {"number": "X", "phone": "+79160000000"}
    codes = [api_client.get(f"{ORDERS}track/", query).status_code for _attempt in range(3)]
    assert codes == [404, 404, 429]


def test_guest_order_is_tracked_but_not_listed_for_anyone(api_client, shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    response = api_client.post(
        "/api/v1/checkout/", checkout_payload(), format="json", HTTP_X_CART_TOKEN=cart.token, HTTP_X_REGION="msk"
    )
    token = response.json()["token"]
    assert response.json()["tracking_url"].endswith(token)
    api_client.force_authenticate(UserFactory())
    assert api_client.get(ORDERS).json()["count"] == 0
    assert api_client.get(f"{ORDERS}{response.json()['number']}/").status_code == 404


def test_tracking_limit_cannot_be_dodged_by_rotating_forwarded_for(api_client, shop, monkeypatch, settings):
    from rest_framework.throttling import ScopedRateThrottle

    # given: прокси не настроены — X-Forwarded-For клиента ничего не значит
    settings.TRUSTED_PROXIES = []
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"orders_track": "2/min"})
    query = {"number": "X", "phone": "+79160000000"}

    # when: каждый запрос с новым «адресом» в заголовке
    codes = [
        api_client.get(f"{ORDERS}track/", query, HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}").status_code
        for attempt in range(3)
    ]

    # then
    assert codes == [404, 404, 429]
