"""Чужой объект недоступен ни через один маршрут API с идентификатором в пути (IDOR).

Тест перечисляет маршруты /api/v1/ с параметрами в пути и требует, чтобы каждый был отнесён к одному
из видов: объект владельца (проверяется здесь: чужой получает 404, как на несуществующий), открытый
по slug (каталог), ключ-возможность (секретный токен в пути) или служебный (права сотрудника —
tests/security/test_staff_permissions.py). Новый маршрут с параметром без такого решения валит тест.
"""

from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from commerce.orders.status import OrderStatus
from commerce.payments.models import RegionPaymentProvider
from tests.factories.accounts import AddressFactory, UserFactory
from tests.factories.orders import OrderFactory, OrderLineFactory
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db

# Маршрут (шаблон пути без /api/v1/) → вид доступа.
OWNED = {
    "orders/<str:number>/": "заказ: только владелец (JWT); гость смотрит заказ через отслеживание",
    "orders/<str:number>/cancel/": "заказ: только владелец (JWT)",
    "orders/<str:number>/pay": "заказ: владелец (JWT) или гость с X-Order-Token",
    "orders/<str:number>/payment": "заказ: владелец (JWT) или гость с X-Order-Token",
    "me/addresses/<pk>/": "адрес: только владелец",
    "cart/lines/<int:variant_id>/": "строка своей корзины: идентификатор — товар, не чужая запись",
    "me/social-accounts/<int:account_id>/": "привязка соцсети: только владелец, чужая — 404",
}
PUBLIC_BY_SLUG = {
    "catalog/categories/<slug:slug>/",
    "catalog/products/<slug:slug>/",
    "payments/webhooks/<slug:provider>/",
    # Код провайдера входа (vk, yandex): не запись; привязка из /me/ — к пользователю из JWT.
    "auth/oauth/<slug:provider>/start/",
    "auth/oauth/<slug:provider>/complete/",
    "me/social-accounts/<slug:provider>/start/",
    "me/social-accounts/<slug:provider>/complete/",
}
CAPABILITY = {
    "orders/track/<str:token>/": "секретный токен заказа (64 символа) — сам по себе право доступа",
    "payments/test/<str:provider_payment_id>/": "тестовый провайдер: идентификатор платежа — случайный UUID",
}
STAFF = "права сотрудника: tests/security/test_staff_permissions.py"


def _api_routes_with_parameters():
    """Шаблоны путей /api/v1/ с параметрами (как в urls.py, без префикса)."""
    found = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/") and "<" in route + "(?P":
                found.add(route.removeprefix("api/v1/").replace("/^", "/").removesuffix("$"))

    walk(get_resolver().url_patterns, "")
    return {route.replace("(?P<pk>[^/.]+)/", "<pk>/") for route in found}


def test_every_api_route_with_an_identifier_has_a_decided_access_rule():
    routes = _api_routes_with_parameters()
    undecided = {
        route
        for route in routes
        if route not in OWNED
        and route not in PUBLIC_BY_SLUG
        and route not in CAPABILITY
        and not route.startswith("exchange/")  # STAFF
    }
    assert not undecided, f"Маршруты с идентификатором без решения о доступе: {sorted(undecided)}"
    assert set(OWNED) <= routes, "матрица ссылается на маршрут, которого больше нет"


@pytest.fixture
def order():
    region = RegionFactory(code="msk", name="Москва", is_default=True)
    RegionPaymentProvider.objects.create(region=region, provider="test", sort_order=0)
    order = OrderFactory(region=region, user=UserFactory(), total=Decimal("1300.00"))
    OrderLineFactory(order=order, unit_price=Decimal("500.00"), quantity=2, line_total=Decimal("1000.00"))
    return order


ORDER_REQUESTS = [
    ("get", "orders/{number}/", None),
    ("post", "orders/{number}/cancel/", None),
    ("post", "orders/{number}/pay", {"return_url": "https://shop.example.ru/done"}),
    ("get", "orders/{number}/payment", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ORDER_REQUESTS)
def test_another_customers_order_is_indistinguishable_from_a_missing_one(api_client, order, method, path, body):
    # given: покупатель, у которого нет этого заказа
    api_client.force_authenticate(UserFactory())
    # when
    response = getattr(api_client, method)("/api/v1/" + path.format(number=order.number), body, format="json")
    missing = getattr(api_client, method)("/api/v1/" + path.format(number="MSK-000000-0000"), body, format="json")
    # then: тот же 404, что и на несуществующий номер; заказ не тронут
    assert response.status_code == missing.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW
    assert not order.payments.exists()


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [(*request, 401) for request in ORDER_REQUESTS[:2]] + [(*request, 404) for request in ORDER_REQUESTS[2:]],
)
def test_guest_with_a_wrong_order_token_gets_nothing(api_client, order, method, path, body, expected):
    # Карточка и отмена — только для вошедшего владельца (401), оплата — 404, как на чужой номер.
    response = getattr(api_client, method)(
        "/api/v1/" + path.format(number=order.number), body, format="json", HTTP_X_ORDER_TOKEN="x" * 64
    )
    assert response.status_code == expected
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW
    assert not order.payments.exists()


@pytest.mark.parametrize(("method", "path", "body"), ORDER_REQUESTS[2:])
def test_order_token_of_one_order_does_not_open_another(api_client, order, method, path, body):
    other = OrderFactory(region=order.region)
    response = getattr(api_client, method)(
        "/api/v1/" + path.format(number=order.number), body, format="json", HTTP_X_ORDER_TOKEN=other.token
    )
    assert response.status_code == 404
    assert not order.payments.exists()


@pytest.mark.parametrize(("method", "body"), [("get", None), ("patch", {"city": "Казань"}), ("delete", None)])
def test_another_users_address_is_404_for_every_method(api_client, method, body):
    address = AddressFactory()
    api_client.force_authenticate(UserFactory())
    response = getattr(api_client, method)(f"/api/v1/me/addresses/{address.pk}/", body, format="json")
    assert response.status_code == 404
    address.refresh_from_db()
    assert address.city == "Москва"
