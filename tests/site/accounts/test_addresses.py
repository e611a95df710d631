"""Адреса доставки: CRUD, один адрес по умолчанию, чужие адреса недоступны (IDOR)."""

import pytest

from accounts.models import Address
from tests.factories.accounts import AddressFactory, UserFactory
from tests.site.accounts.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/addresses/"
ADDRESS = {
    "city": "Москва",
    "street": "Тверская",
    "house": "7",
    "apartment": "12",
    "recipient_phone": "8 916 111 22 33",
}


def test_first_address_becomes_default_and_phone_is_normalised(user_client):
    response = user_client.post(URL, ADDRESS, format="json")
    assert response.status_code == 201
    assert response.json()["is_default"] is True
    assert response.json()["recipient_phone"] == "+79161112233"


def test_making_address_default_unsets_previous_default(user_client, user):
    first = user_client.post(URL, ADDRESS, format="json").json()
    second = user_client.post(URL, {**ADDRESS, "house": "9", "is_default": True}, format="json").json()
    assert second["is_default"] is True
    listed = user_client.get(URL).json()
    assert [(item["id"], item["is_default"]) for item in listed] == [(second["id"], True), (first["id"], False)]
    user_client.patch(f"{URL}{first['id']}/", {"is_default": True}, format="json")
    assert Address.objects.get(is_default=True, user=user).pk == first["id"]
    assert Address.objects.filter(user=user, is_default=True).count() == 1


def test_deleting_default_address_promotes_another(user_client, user):
    first = user_client.post(URL, ADDRESS, format="json").json()
    second = user_client.post(URL, {**ADDRESS, "house": "9"}, format="json").json()
    assert user_client.delete(f"{URL}{first['id']}/").status_code == 204
    assert Address.objects.get(user=user).pk == second["id"]
    assert Address.objects.get(user=user).is_default is True


def test_address_requires_city_street_house(user_client):
    response = user_client.post(URL, {"city": "Москва"}, format="json")
    assert response.status_code == 400
    assert {field["path"] for field in response.json()["error"]["fields"]} == {"street", "house"}


def test_user_sees_only_own_addresses(api_client, user):
    # given
    stranger = UserFactory()
    AddressFactory(user=stranger, city="Казань", street="Баумана", is_default=True)
    client_for(api_client, user).post(URL, ADDRESS, format="json")
    # when
    listed = api_client.get(URL).json()
    # then
    assert [item["city"] for item in listed] == ["Москва"]


@pytest.mark.parametrize(
    ("method", "payload"),
    [("get", None), ("patch", {"city": "Омск"}), ("delete", None)],
    ids=["read", "edit", "delete"],
)
def test_user_cannot_touch_another_users_address(api_client, user, method, payload):
    # given: чужой адрес
    stranger = UserFactory()
    foreign = AddressFactory(user=stranger, city="Казань", street="Баумана", is_default=True)
    client = client_for(api_client, user)
    # when
    response = getattr(client, method)(f"{URL}{foreign.pk}/", payload, format="json")
    # then: адрес «не существует» для чужого, и он не изменён
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    foreign.refresh_from_db()
    assert foreign.city == "Казань"


def test_address_cannot_be_reassigned_to_another_user(user_client, user):
    stranger = UserFactory()
    created = user_client.post(URL, {**ADDRESS, "user": stranger.pk}, format="json").json()
    assert Address.objects.get(pk=created["id"]).user_id == user.pk


def test_addresses_require_authentication(api_client):
    assert api_client.get(URL).status_code == 401
    assert api_client.post(URL, ADDRESS, format="json").status_code == 401
