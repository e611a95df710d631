"""Вход через Яндекс ID против поддельных oauth- и login-серверов на 127.0.0.1."""

import pytest

from accounts.models import User
from accounts.oauth.models import SocialAccount
from tests.factories.accounts import UserFactory
from tests.site.accounts.oauth.conftest import VK_CALLBACK, YANDEX_CALLBACK, YANDEX_SECRET, oauth_login

pytestmark = pytest.mark.django_db


def test_yandex_login_creates_account_with_own_mailbox_confirmed(api_client, fake_yandex):
    response = oauth_login(api_client, fake_yandex, "yandex", YANDEX_CALLBACK)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] is True
    assert body["user"]["email"] == "ivan.petrov@yandex.ru"
    assert body["user"]["email_verified"] is True  # ящик <логин>@yandex.ru — самого аккаунта
    (token_request,) = fake_yandex.token_requests
    assert token_request["client_secret"] == YANDEX_SECRET
    assert token_request["code_verifier"]


def test_yandex_external_default_email_is_not_treated_as_confirmed(api_client, fake_yandex):
    owner = UserFactory(email="ivan@gmail.com", email_verified=True)
    fake_yandex.user |= {"default_email": "ivan@gmail.com", "default_phone": {"id": 1, "number": "+79160000000"}}

    body = oauth_login(api_client, fake_yandex, "yandex", YANDEX_CALLBACK).json()

    assert body["created"] is True
    assert body["user"]["id"] != owner.pk
    account = SocialAccount.objects.get(provider="yandex")
    assert (account.email, account.email_verified, account.phone) == ("ivan@gmail.com", False, "+79160000000")


def test_yandex_own_mailbox_joins_local_account_that_confirmed_it(api_client, fake_yandex):
    owner = UserFactory(email="ivan.petrov@yandex.ru", email_verified=True)

    body = oauth_login(api_client, fake_yandex, "yandex", YANDEX_CALLBACK).json()

    assert body["created"] is False
    assert body["user"]["id"] == owner.pk


def test_yandex_down_answers_502_and_creates_nothing(api_client, fake_yandex):
    fake_yandex.down = True

    response = oauth_login(api_client, fake_yandex, "yandex", YANDEX_CALLBACK)

    assert response.status_code == 502
    assert response.json()["error"]["code"] == "oauth_provider_unavailable"
    assert User.objects.count() == 0


def test_wrong_client_secret_is_reported_as_rejected_code(api_client, fake_yandex, settings):
    settings.OAUTH_YANDEX_CLIENT_SECRET = "wrong"

    response = oauth_login(api_client, fake_yandex, "yandex", YANDEX_CALLBACK)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "oauth_code_invalid"


def test_state_issued_for_vk_is_refused_by_yandex(api_client, fake_vk, fake_yandex):
    started = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json").json()

    response = api_client.post(
        "/api/v1/auth/oauth/yandex/complete/", {"code": "c", "state": started["state"]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "oauth_state_invalid"
    assert fake_yandex.token_requests == []
