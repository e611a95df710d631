"""Вход через Сбер ID: поддельная страница авторизации и API Сбера по HTTPS с обязательным mTLS."""

from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.models import User
from accounts.oauth.models import SocialAccount
from tests.factories.accounts import UserFactory
from tests.site.accounts.oauth.conftest import SBER_CALLBACK, SBER_SECRET, oauth_login
from tests.site.accounts.oauth.fakes import RQUID, s256

pytestmark = pytest.mark.django_db


def test_sber_login_over_mtls_creates_account_with_bank_confirmed_phone(api_client, fake_sber):
    response = oauth_login(api_client, fake_sber, "sber", SBER_CALLBACK)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] is True
    assert body["user"]["phone"] == "+79161234567"
    assert body["user"]["phone_verified"] is True  # телефон клиента банка подтверждён Сбером
    assert body["user"]["email_verified"] is False
    assert body["user"]["first_name"] == "Анна"
    account = SocialAccount.objects.get(provider="sber")
    assert account.uid == fake_sber.user["sub"]
    (token_request,) = fake_sber.token_requests
    assert RQUID.match(token_request["rquid"])
    assert token_request["client_secret"] == SBER_SECRET
    assert token_request["redirect_uri"] == SBER_CALLBACK
    (info_request,) = fake_sber.info_requests
    assert RQUID.match(info_request["X-Introspect-Rquid"])


def test_sber_authorize_url_is_oidc_with_private_client_nonce_and_s256(api_client, fake_sber):
    started = api_client.post("/api/v1/auth/oauth/sber/start/", {"redirect_uri": SBER_CALLBACK}, format="json")

    params = {key: values[0] for key, values in parse_qs(urlsplit(started.json()["authorize_url"]).query).items()}
    assert params["client_type"] == "PRIVATE"
    assert params["scope"].split()[0] == "openid"
    assert params["nonce"]
    assert params["code_challenge_method"] == "S256"
    assert params["state"] == started.json()["state"]


def test_sber_without_client_certificate_is_refused_by_tls_and_creates_nothing(api_client, fake_sber, settings):
    # given — сертификат партнёра не настроен: сервер Сбера обрывает TLS-рукопожатие
    settings.OAUTH_SBER_CERT_FILE = ""

    response = oauth_login(api_client, fake_sber, "sber", SBER_CALLBACK)

    assert response.status_code == 502
    assert response.json()["error"]["code"] == "oauth_provider_unavailable"
    assert fake_sber.token_requests == []
    assert User.objects.count() == 0


def test_sber_wrong_verifier_is_a_rejected_code(api_client, fake_sber):
    started = api_client.post("/api/v1/auth/oauth/sber/start/", {"redirect_uri": SBER_CALLBACK}, format="json")
    returned = fake_sber.authorize(started.json()["authorize_url"])
    # Код выдан под чужой challenge: наш verifier к нему не подходит.
    fake_sber.codes[returned["code"]]["challenge"] = s256("other-verifier")

    response = api_client.post(
        "/api/v1/auth/oauth/sber/complete/", {"code": returned["code"], "state": returned["state"]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "oauth_code_invalid"


def test_sber_confirmed_phone_joins_local_account_that_confirmed_it(api_client, fake_sber):
    owner = UserFactory(phone="+79161234567", phone_verified=True)

    body = oauth_login(api_client, fake_sber, "sber", SBER_CALLBACK).json()

    assert body["created"] is False
    assert body["user"]["id"] == owner.pk


def test_sber_email_never_joins_an_existing_account(api_client, fake_sber):
    # given — у нас e-mail подтверждён, но Сбер его не подтверждает
    owner = UserFactory(email="anna@example.ru", email_verified=True)
    fake_sber.user.pop("phone_number")

    body = oauth_login(api_client, fake_sber, "sber", SBER_CALLBACK).json()

    assert body["created"] is True
    assert body["user"]["id"] != owner.pk


def test_sber_down_answers_502_and_creates_nothing(api_client, fake_sber):
    fake_sber.down = True

    response = oauth_login(api_client, fake_sber, "sber", SBER_CALLBACK)

    assert response.status_code == 502
    assert User.objects.count() == 0


def test_sber_enabled_without_certificate_stops_start_up(settings):
    from django.core.exceptions import ImproperlyConfigured

    from accounts.oauth.providers import providers_settings_check

    settings.OAUTH_SBER_ENABLED = True
    settings.OAUTH_SBER_CLIENT_ID = "id"
    settings.OAUTH_SBER_CLIENT_SECRET = "secret"
    settings.OAUTH_SBER_CERT_FILE = ""

    with pytest.raises(ImproperlyConfigured, match="OAUTH_SBER_CERT_FILE"):
        providers_settings_check()
