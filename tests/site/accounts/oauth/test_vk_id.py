"""Вход через VK ID по настоящему протоколу против поддельного VK ID на 127.0.0.1."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.models import User
from accounts.oauth.models import SocialAccount
from accounts.oauth.state import pkce_challenge
from tests.factories.accounts import UserFactory
from tests.site.accounts.oauth.conftest import VK_CALLBACK, oauth_login

pytestmark = pytest.mark.django_db


def test_vk_login_creates_account_and_returns_working_jwt(api_client, fake_vk):
    # given — VK отдаёт имя и аватар, без контактов
    # when
    response = oauth_login(api_client, fake_vk, "vk", VK_CALLBACK)

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] is True
    assert body["user"]["first_name"] == "Иван"
    assert body["user"]["has_password"] is False
    account = SocialAccount.objects.get(provider="vk", uid="1001")
    assert account.user_id == body["user"]["id"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert api_client.get("/api/v1/me/").json()["id"] == account.user_id


def test_vk_authorize_url_carries_s256_challenge_and_token_request_the_verifier(api_client, fake_vk):
    started = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json").json()
    query = {key: values[0] for key, values in parse_qs(urlsplit(started["authorize_url"]).query).items()}
    assert started["authorize_url"].startswith(fake_vk.url("/authorize?"))
    assert query["code_challenge_method"] == "s256"
    assert query["state"] == started["state"]
    assert query["redirect_uri"] == VK_CALLBACK
    assert query["scope"] == "email phone"
    assert "code_verifier" not in query

    returned = fake_vk.authorize(started["authorize_url"])
    api_client.post("/api/v1/auth/oauth/vk/complete/", returned, format="json")

    (token_request,) = fake_vk.token_requests
    assert pkce_challenge(token_request["code_verifier"]) == query["code_challenge"]
    assert token_request["device_id"] == returned["device_id"]
    assert "client_secret" not in token_request


def test_vk_second_login_finds_the_same_account(api_client, fake_vk):
    first = oauth_login(api_client, fake_vk, "vk", VK_CALLBACK).json()
    second = oauth_login(api_client, fake_vk, "vk", VK_CALLBACK).json()

    assert second["created"] is False
    assert second["user"]["id"] == first["user"]["id"]
    assert User.objects.count() == 1


def test_vk_payload_form_is_accepted(api_client, fake_vk):
    started = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json").json()
    returned = fake_vk.authorize(started["authorize_url"])

    response = api_client.post(
        "/api/v1/auth/oauth/vk/complete/", {"payload": json.dumps({**returned, "expires_in": 600})}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["created"] is True


def test_vk_without_device_id_is_refused_before_any_exchange(api_client, fake_vk):
    started = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json").json()
    returned = fake_vk.authorize(started["authorize_url"])

    response = api_client.post(
        "/api/v1/auth/oauth/vk/complete/", {"code": returned["code"], "state": returned["state"]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "oauth_payload_invalid"
    assert fake_vk.token_requests == []


def test_vk_broken_payload_is_a_validation_error(api_client, fake_vk):
    response = api_client.post("/api/v1/auth/oauth/vk/complete/", {"payload": "{not json"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_reused_state_is_refused_and_reaches_no_provider(api_client, fake_vk):
    started = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json").json()
    returned = fake_vk.authorize(started["authorize_url"])
    assert api_client.post("/api/v1/auth/oauth/vk/complete/", returned, format="json").status_code == 200

    replay = api_client.post("/api/v1/auth/oauth/vk/complete/", returned, format="json")

    assert replay.status_code == 400
    assert replay.json()["error"]["code"] == "oauth_state_invalid"
    assert len(fake_vk.token_requests) == 1


def test_unknown_state_is_refused(api_client, fake_vk):
    response = api_client.post(
        "/api/v1/auth/oauth/vk/complete/", {"code": "x", "state": "forged", "device_id": "d"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "oauth_state_invalid"


def test_code_from_one_login_with_state_of_another_fails_pkce(api_client, fake_vk):
    # given — два начатых входа; код первого, а state (и значит verifier) второго
    first = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json").json()
    second = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json").json()
    returned = fake_vk.authorize(first["authorize_url"])

    # when
    response = api_client.post(
        "/api/v1/auth/oauth/vk/complete/",
        {"code": returned["code"], "state": second["state"], "device_id": returned["device_id"]},
        format="json",
    )

    # then — VK отверг verifier, никого не создали
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "oauth_code_invalid"
    assert fake_vk.token_requests[0]["code_verifier"]
    assert User.objects.count() == 0


def test_vk_down_answers_502_and_creates_nothing(api_client, fake_vk):
    fake_vk.down = True

    response = oauth_login(api_client, fake_vk, "vk", VK_CALLBACK)

    assert response.status_code == 502
    assert response.json()["error"]["code"] == "oauth_provider_unavailable"
    assert User.objects.count() == 0
    assert SocialAccount.objects.count() == 0


def test_vk_unreachable_answers_502(api_client, fake_vk, settings):
    started = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json").json()
    returned = fake_vk.authorize(started["authorize_url"])
    settings.OAUTH_VK_BASE_URL = "http://127.0.0.1:9"  # порт discard: соединение отвергнуто

    response = api_client.post("/api/v1/auth/oauth/vk/complete/", returned, format="json")

    assert response.status_code == 502
    assert response.json()["error"]["code"] == "oauth_provider_unavailable"


def test_vk_verified_email_joins_the_local_account_that_confirmed_it(api_client, fake_vk):
    owner = UserFactory(email="ivan@example.ru", email_verified=True)
    fake_vk.user |= {"email": "Ivan@Example.ru", "email_verified": True}

    body = oauth_login(api_client, fake_vk, "vk", VK_CALLBACK).json()

    assert body["created"] is False
    assert body["user"]["id"] == owner.pk


def test_vk_unverified_email_never_joins_an_existing_account(api_client, fake_vk):
    owner = UserFactory(email="ivan@example.ru", email_verified=True)
    fake_vk.user |= {"email": "ivan@example.ru"}  # без признака подтверждения

    body = oauth_login(api_client, fake_vk, "vk", VK_CALLBACK).json()

    assert body["created"] is True
    assert body["user"]["id"] != owner.pk
    assert body["user"]["email"] == ""  # адрес занят: остаётся только в привязке
    assert SocialAccount.objects.get(provider="vk").email == "ivan@example.ru"


def test_pre_hijacking_local_account_with_unconfirmed_email_is_not_taken_over(api_client, fake_vk):
    # given — злоумышленник заранее зарегистрировал адрес жертвы с паролем, но не подтвердил его
    squatter = UserFactory(email="victim@example.ru", email_verified=False)
    fake_vk.user |= {"email": "victim@example.ru", "email_verified": True}

    # when — жертва входит через VK с подтверждённым адресом
    body = oauth_login(api_client, fake_vk, "vk", VK_CALLBACK).json()

    # then — у жертвы свой новый аккаунт, в аккаунт злоумышленника соцсеть не попала
    assert body["created"] is True
    assert body["user"]["id"] != squatter.pk
    assert not SocialAccount.objects.filter(user=squatter).exists()


def test_vk_verified_phone_joins_account_with_confirmed_phone(api_client, fake_vk):
    owner = UserFactory(email="", phone="+79161234567", phone_verified=True)
    fake_vk.user |= {"phone": "79161234567", "phone_verified": True}

    body = oauth_login(api_client, fake_vk, "vk", VK_CALLBACK).json()

    assert body["user"]["id"] == owner.pk


def test_vk_contacts_fill_a_new_profile_as_unconfirmed(api_client, fake_vk):
    fake_vk.user |= {"email": "new@example.ru", "phone": "79161112233"}

    body = oauth_login(api_client, fake_vk, "vk", VK_CALLBACK).json()

    assert body["user"]["email"] == "new@example.ru"
    assert body["user"]["email_verified"] is False
    assert body["user"]["phone"] == "+79161112233"
    assert body["user"]["phone_verified"] is False


def test_vk_verified_contacts_fill_a_new_profile_as_confirmed(api_client, fake_vk):
    fake_vk.user |= {"email": "new@example.ru", "email_verified": True}

    body = oauth_login(api_client, fake_vk, "vk", VK_CALLBACK).json()

    assert body["user"]["email_verified"] is True


def test_blocked_user_cannot_log_in_with_linked_vk(api_client, fake_vk):
    first = oauth_login(api_client, fake_vk, "vk", VK_CALLBACK).json()
    User.objects.filter(pk=first["user"]["id"]).update(is_active=False)

    response = oauth_login(api_client, fake_vk, "vk", VK_CALLBACK)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "account_disabled"
