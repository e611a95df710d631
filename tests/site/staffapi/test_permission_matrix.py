"""Матрица прав API сотрудников: каждая операция × каждая роль, поставленная миграцией.

Таблица MATRIX — единственное место, где записано, какой роли какая операция открыта.
Новый эндпоинт без строки в таблице роняет test_every_operation_has_a_rule: правило
нельзя забыть. Запись проверяется пустым телом: пропущенный правами запрос получает 400
(проверка тела идёт после прав), отказ — 403 permission_denied.
"""

import pytest
from django.urls import URLPattern
from rest_framework.test import APIClient

from staff import roles
from staffapi import urls as staffapi_urls
from tests.factories.accounts import UserFactory
from tests.site.staffapi.conftest import BASE, SHIPPED_GROUPS, session_client, staff_in_group

pytestmark = pytest.mark.django_db

CONTENT, ORDERS, GOODS, ADMIN = roles.CONTENT_EDITOR, roles.ORDER_MANAGER, roles.MERCHANDISER, roles.ADMINISTRATOR
EVERYONE = frozenset(SHIPPED_GROUPS)
PUBLIC = "public"

# (имя маршрута, метод) → роли, которым операция открыта (PUBLIC — без входа: вход и CSRF).
MATRIX = {
    ("staffapi-csrf", "GET"): PUBLIC,
    ("staffapi-login", "POST"): PUBLIC,
    ("staffapi-logout", "POST"): PUBLIC,
    ("staffapi-me", "GET"): EVERYONE,
    ("staffapi-orders", "GET"): {ORDERS, ADMIN},
    ("staffapi-order", "GET"): {ORDERS, ADMIN},
    ("staffapi-order-transition", "POST"): {ORDERS, ADMIN},
    ("staffapi-order-contact", "PATCH"): {ORDERS, ADMIN},
    ("staffapi-order-notes", "GET"): {ORDERS, ADMIN},
    ("staffapi-order-notes", "POST"): {ORDERS, ADMIN},
    ("staffapi-order-refunds", "POST"): {ORDERS, ADMIN},
    ("staffapi-products", "GET"): EVERYONE,
    ("staffapi-products", "POST"): {GOODS, ADMIN},
    ("staffapi-product", "GET"): EVERYONE,
    ("staffapi-product", "PATCH"): {GOODS, ADMIN},
    ("staffapi-variant", "PATCH"): {GOODS, ADMIN},
    ("staffapi-low-stock", "GET"): {GOODS, ADMIN},
    ("staffapi-offers", "GET"): {GOODS, ADMIN},
    ("staffapi-offers-bulk", "PATCH"): {GOODS, ADMIN},
    ("staffapi-imports", "GET"): {GOODS, ADMIN},
    ("staffapi-imports", "POST"): {GOODS, ADMIN},
    ("staffapi-import", "GET"): {GOODS, ADMIN},
    ("staffapi-import-confirm", "POST"): {GOODS, ADMIN},
    ("staffapi-import-rejected", "GET"): {GOODS, ADMIN},
    ("staffapi-exports", "GET"): {GOODS, ADMIN},
    ("staffapi-exports", "POST"): {GOODS, ADMIN},
    ("staffapi-export", "GET"): {GOODS, ADMIN},
    ("staffapi-export-download", "GET"): {GOODS, ADMIN},
    ("staffapi-customers", "GET"): {ORDERS, ADMIN},
    ("staffapi-customer", "GET"): {ORDERS, ADMIN},
    ("staffapi-customer-pii", "POST"): {ORDERS, ADMIN},
    ("staffapi-customer-block", "POST"): {ADMIN},
    ("staffapi-analytics-orders", "GET"): {ORDERS, ADMIN},
    ("staffapi-analytics-search", "GET"): {GOODS, ADMIN},
    ("staffapi-connections", "GET"): {ADMIN},
    ("staffapi-sync-runs", "GET"): {ADMIN},
    ("staffapi-stuck", "GET"): {ADMIN},
    ("staffapi-stuck-retry", "POST"): {ADMIN},
    ("staffapi-api-keys", "GET"): {ADMIN},
    ("staffapi-api-keys", "POST"): {ADMIN},
    ("staffapi-api-key-revoke", "POST"): {ADMIN},
    ("staffapi-audit", "GET"): {ADMIN},
}


def _operations():
    """Все (имя маршрута, метод) из URLconf API сотрудников — по методам классов представлений."""
    found = set()
    for pattern in staffapi_urls.v1_patterns:
        assert isinstance(pattern, URLPattern)
        view_class = pattern.callback.view_class
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view_class, method):
                found.add((pattern.name, method.upper()))
    return found


def test_every_operation_has_a_rule():
    assert _operations() == set(MATRIX)


def _path(name, world):
    number = world.msk_new.number
    return {
        "staffapi-csrf": "auth/csrf/",
        "staffapi-login": "auth/login/",
        "staffapi-logout": "auth/logout/",
        "staffapi-me": "me/",
        "staffapi-orders": "orders/",
        "staffapi-order": f"orders/{number}/",
        "staffapi-order-transition": f"orders/{number}/transition/",
        "staffapi-order-contact": f"orders/{number}/contact/",
        "staffapi-order-notes": f"orders/{number}/notes/",
        "staffapi-order-refunds": f"orders/{number}/refunds/",
        "staffapi-products": "products/",
        "staffapi-product": f"products/{world.laptop.pk}/",
        "staffapi-variant": f"variants/{world.laptop.variant.pk}/",
        "staffapi-low-stock": "stock/low/",
        "staffapi-offers": "offers/?region=msk",
        "staffapi-offers-bulk": "offers/bulk/",
        "staffapi-imports": "imports/",
        "staffapi-import": "imports/999999/",
        "staffapi-import-confirm": "imports/999999/confirm/",
        "staffapi-import-rejected": "imports/999999/rejected/",
        "staffapi-exports": "exports/",
        "staffapi-export": "exports/999999/",
        "staffapi-export-download": "exports/999999/download/",
        "staffapi-customers": "customers/",
        "staffapi-customer": f"customers/{world.customer.pk}/",
        "staffapi-customer-pii": f"customers/{world.customer.pk}/pii/",
        "staffapi-customer-block": f"customers/{world.customer.pk}/block/",
        "staffapi-analytics-orders": "analytics/orders/",
        "staffapi-analytics-search": "analytics/search/",
        "staffapi-connections": "integrations/connections/",
        "staffapi-sync-runs": "integrations/runs/",
        "staffapi-stuck": "integrations/stuck/",
        "staffapi-stuck-retry": "integrations/stuck/retry/",
        "staffapi-api-keys": "api-keys/",
        "staffapi-api-key-revoke": "api-keys/999999/revoke/",
        "staffapi-audit": "audit/",
    }[name]


# Загрузка файла принимает только multipart: JSON отвергся бы (415) ещё до проверки прав.
FORMATS = {("staffapi-imports", "POST"): "multipart"}


def call(client, name, method, world):
    """Запрос операции пустым телом в её формате."""
    return getattr(client, method.lower())(BASE + _path(name, world), {}, format=FORMATS.get((name, method), "json"))


PROTECTED = sorted(key for key, allowed in MATRIX.items() if allowed != PUBLIC)


@pytest.mark.parametrize("group_name", SHIPPED_GROUPS)
def test_each_shipped_group_gets_exactly_its_operations(orders, catalog, group_name):
    # given
    client = session_client(staff_in_group(group_name))

    # when
    outcome = {}
    for name, method in PROTECTED:
        response = call(client, name, method, orders)
        assert response["Content-Type"].startswith("application/json"), (name, method)
        denied = response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
        assert response.status_code < 500, (name, method, response.status_code)
        outcome[(name, method)] = not denied

    # then
    expected = {key: group_name in MATRIX[key] for key in PROTECTED}
    assert outcome == expected


def test_staff_without_groups_sees_only_me(orders, catalog):
    client = session_client(UserFactory(is_staff=True))

    for name, method in PROTECTED:
        response = call(client, name, method, orders)
        if (name, method) == ("staffapi-me", "GET"):
            assert response.status_code == 200
        else:
            assert response.status_code == 403, (name, method)


def test_customer_and_anonymous_are_refused_everywhere(orders, catalog):
    customer = session_client(UserFactory(is_staff=False))
    anonymous = APIClient()

    for name, method in PROTECTED:
        assert call(customer, name, method, orders).status_code == 403, (name, method)
        assert call(anonymous, name, method, orders).status_code in (401, 403), (name, method)
