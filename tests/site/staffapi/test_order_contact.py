"""Правка контакта заказа в API сотрудников: If-Match, журнал, проверка полей, чужой регион."""

import pytest

from staffapi.models import StaffAction, StaffRegionAccess
from tests.site.staffapi.conftest import BASE, session_client

pytestmark = pytest.mark.django_db


def contact_url(order):
    return f"{BASE}orders/{order.number}/contact/"


def test_contact_patch_changes_only_given_fields_and_writes_before_after(orders, manager_client, manager):
    # given
    order = orders.msk_new
    old_name = order.contact_name
    etag = manager_client.get(f"{BASE}orders/{order.number}/")["ETag"]

    # when
    response = manager_client.patch(
        contact_url(order), {"contact_phone": "+79161234567"}, format="json", HTTP_IF_MATCH=etag
    )

    # then
    assert response.status_code == 200, response.json()
    assert response.json()["contact_phone"] == "+79161234567"
    assert response["ETag"] != etag
    order.refresh_from_db()
    assert str(order.contact_phone) == "+79161234567"
    assert order.contact_name == old_name
    action = StaffAction.objects.get(action="order.contact_update")
    assert action.actor == manager
    assert action.after == {"contact_phone": "+79161234567"}
    assert set(action.before) == {"contact_phone"}


def test_contact_patch_with_stale_etag_is_412_and_without_if_match_is_428(orders, manager_client):
    order = orders.msk_new
    stale = manager_client.get(f"{BASE}orders/{order.number}/")["ETag"]
    manager_client.patch(contact_url(order), {"contact_name": "Пётр"}, format="json", HTTP_IF_MATCH=stale)

    clash = manager_client.patch(contact_url(order), {"contact_name": "Иван"}, format="json", HTTP_IF_MATCH=stale)
    missing = manager_client.patch(contact_url(order), {"contact_name": "Иван"}, format="json")

    assert clash.status_code == 412
    assert clash.json()["error"]["code"] == "precondition_failed"
    assert missing.status_code == 428
    order.refresh_from_db()
    assert order.contact_name == "Пётр"


@pytest.mark.parametrize(
    "body,field",
    [({"contact_phone": "12"}, "contact_phone"), ({"contact_email": "x" * 250 + "@a.ru"}, "contact_email"), ({}, None)],
    ids=["phone", "long-email", "empty"],
)
def test_contact_patch_validates_fields(orders, manager_client, body, field):
    response = manager_client.patch(contact_url(orders.msk_new), body, format="json", HTTP_IF_MATCH="*")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    if field:
        assert [item["path"] for item in error["fields"]] == [field]
    assert not StaffAction.objects.exists()


def test_contact_patch_of_order_in_other_region_is_404(orders, manager):
    StaffRegionAccess.objects.create(user=manager).regions.add(orders.msk)
    client = session_client(manager)

    response = client.patch(contact_url(orders.spb_new), {"contact_name": "Иван"}, format="json", HTTP_IF_MATCH="*")

    assert response.status_code == 404
