"""Ограничение сотрудника регионами: чужой регион неотличим от несуществующего (IDOR)."""

import pytest

from staffapi.models import StaffRegionAccess
from tests.site.staffapi.conftest import BASE, session_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def spb_manager(manager, orders):
    StaffRegionAccess.objects.create(user=manager).regions.add(orders.spb)
    return manager


def test_restricted_manager_lists_only_own_region(orders, spb_manager):
    client = session_client(spb_manager)

    numbers = [row["number"] for row in client.get(f"{BASE}orders/").json()["results"]]
    filtered = client.get(f"{BASE}orders/", {"region": "msk"}).json()["results"]

    assert numbers == [orders.spb_new.number]
    assert filtered == []


def test_restricted_manager_gets_404_on_every_object_of_another_region(orders, spb_manager):
    client = session_client(spb_manager)
    order = orders.msk_new

    card = client.get(f"{BASE}orders/{order.number}/")
    notes = client.get(f"{BASE}orders/{order.number}/notes/")
    note_add = client.post(f"{BASE}orders/{order.number}/notes/", {"text": "чужой"}, format="json")
    transition = client.post(
        f"{BASE}orders/{order.number}/transition/", {"to_status": "cancelled"}, format="json", HTTP_IF_MATCH="*"
    )
    refund = client.post(
        f"{BASE}orders/{order.number}/refunds/", {"payment_id": 1, "amount": "1.00", "reason": "x"}, format="json"
    )

    for response in (card, notes, note_add, transition, refund):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    order.refresh_from_db()
    assert order.status == "new"
    assert not order.staff_notes.exists()
    assert client.get(f"{BASE}orders/{orders.spb_new.number}/").status_code == 200


def test_me_lists_allowed_regions_and_permissions(orders, spb_manager):
    body = session_client(spb_manager).get(f"{BASE}me/").json()

    assert body["all_regions"] is False
    assert [region["code"] for region in body["regions"]] == ["spb"]
    assert "orders.change_order_status" in body["permissions"]
    assert "pricing.change_variantprice" not in body["permissions"]
    assert body["groups"] == ["Менеджер заказов"]
