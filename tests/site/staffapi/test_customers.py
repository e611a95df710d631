"""Покупатели: поиск по точному значению, маскирование контактов, раскрытие по праву с журналом, блокировка."""

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from staff import roles
from staffapi.models import StaffAction
from tests.site.staffapi.conftest import BASE, session_client, staff_in_group

pytestmark = pytest.mark.django_db


def test_search_finds_by_exact_phone_email_or_order_number_and_masks_contacts(orders, manager_client):
    by_phone = manager_client.get(f"{BASE}customers/", {"q": "8 903 555-66-77"}).json()["results"]
    by_order = manager_client.get(f"{BASE}customers/", {"q": orders.msk_new.number}).json()["results"]
    by_part = manager_client.get(f"{BASE}customers/", {"q": "555"}).json()["results"]

    assert [row["id"] for row in by_phone] == [orders.customer.pk]
    assert [row["id"] for row in by_order] == [orders.customer.pk]
    assert by_part == []
    row = by_phone[0]
    assert row["phone"] == "+7903*****77"
    assert row["name"] == "А. С."
    assert row["email"].startswith(orders.customer.email[0]) and "***@" in row["email"]
    assert row["orders_count"] == 1


def test_customer_card_has_orders_and_consents_without_pii(orders, manager_client):
    body = manager_client.get(f"{BASE}customers/{orders.customer.pk}/").json()

    assert [order["number"] for order in body["orders"]] == [orders.msk_new.number]
    assert "Смирнова" not in str(body) and "79035556677" not in str(body)


def test_pii_reveal_needs_the_permission_and_is_audited(orders, manager_client, manager):
    # given: товаровед без права на персональные данные
    goods = session_client(staff_in_group(roles.MERCHANDISER, is_staff=True))

    # when
    revealed = manager_client.post(f"{BASE}customers/{orders.customer.pk}/pii/")
    refused = goods.post(f"{BASE}customers/{orders.customer.pk}/pii/")

    # then
    assert revealed.status_code == 200
    assert revealed.json()["last_name"] == "Смирнова"
    assert revealed.json()["phone"] == "+79035556677"
    assert refused.status_code == 403
    action = StaffAction.objects.get(action="customer.pii_reveal")
    assert (action.actor, action.object_id) == (manager, str(orders.customer.pk))


def test_block_closes_login_revokes_tokens_and_unblock_reopens(orders):
    # given
    admin = session_client(staff_in_group(roles.ADMINISTRATOR))
    refresh = RefreshToken.for_user(orders.customer)

    # when
    url = f"{BASE}customers/{orders.customer.pk}/block/"
    blocked = admin.post(url, {"blocked": True, "reason": "спам"}, format="json")

    # then
    assert blocked.status_code == 200
    assert blocked.json()["is_active"] is False
    orders.customer.refresh_from_db()
    assert orders.customer.is_active is False
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

    assert BlacklistedToken.objects.filter(token__jti=refresh["jti"]).exists()
    unblocked = admin.post(url, {"blocked": False}, format="json")
    assert unblocked.json()["is_active"] is True
    assert list(StaffAction.objects.order_by("id").values_list("action", flat=True)) == [
        "customer.block",
        "customer.unblock",
    ]


def test_staff_accounts_are_not_customers(orders, manager_client, manager):
    assert manager_client.get(f"{BASE}customers/{manager.pk}/").status_code == 404
    assert manager_client.get(f"{BASE}customers/", {"q": manager.username}).json()["results"] == []
