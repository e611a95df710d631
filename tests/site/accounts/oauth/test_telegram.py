"""Вход через Telegram Login Widget: подпись HMAC-SHA-256, свежесть auth_date, подмены полей."""

import time

import pytest

from accounts.oauth.models import SocialAccount
from tests.site.accounts.oauth.conftest import telegram_fields

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/telegram/complete/"


def test_telegram_login_creates_account(api_client, telegram):
    response = api_client.post(URL, telegram_fields(), format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] is True
    assert body["user"]["first_name"] == "Иван"
    account = SocialAccount.objects.get(provider="telegram")
    assert (account.uid, account.display_name) == ("3003", "@ivan_tg")


def test_telegram_second_login_with_new_widget_data_finds_the_same_user(api_client, telegram):
    first = api_client.post(URL, telegram_fields(), format="json").json()
    second = api_client.post(URL, telegram_fields(auth_date=int(time.time()) - 5), format="json").json()

    assert second["created"] is False
    assert second["user"]["id"] == first["user"]["id"]


def test_signature_made_with_another_bot_token_is_refused(api_client, telegram):
    response = api_client.post(URL, telegram_fields(bot_token="1:other"), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "telegram_auth_invalid"
    assert SocialAccount.objects.count() == 0


def test_changed_field_breaks_the_signature(api_client, telegram):
    fields = telegram_fields()
    fields["id"] = 1  # чужой id под чужой подписью

    response = api_client.post(URL, fields, format="json")

    assert response.json()["error"]["code"] == "telegram_auth_invalid"


def test_stale_auth_date_is_refused(api_client, telegram, settings):
    stale = int(time.time()) - settings.OAUTH_TELEGRAM_AUTH_MAX_AGE_SECONDS - 60

    response = api_client.post(URL, telegram_fields(auth_date=stale), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "telegram_auth_expired"


def test_auth_date_from_the_future_is_refused(api_client, telegram):
    response = api_client.post(URL, telegram_fields(auth_date=int(time.time()) + 3600), format="json")

    assert response.json()["error"]["code"] == "telegram_auth_invalid"


def test_line_feed_injected_into_a_field_is_refused_even_when_signed(api_client, telegram):
    # given — значение с переводом строки, подписанное по правилам: строка проверки
    # «first_name=Иван\nid=1» неотличима от двух полей, поэтому такие значения отвергаются
    fields = telegram_fields(first_name="Иван\nid=1")

    response = api_client.post(URL, fields, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "telegram_auth_invalid"
    assert SocialAccount.objects.count() == 0


def test_same_widget_data_is_accepted_only_once(api_client, telegram):
    fields = telegram_fields()
    assert api_client.post(URL, fields, format="json").status_code == 200

    replay = api_client.post(URL, fields, format="json")

    assert replay.status_code == 400
    assert replay.json()["error"]["code"] == "telegram_auth_invalid"


def test_missing_hash_is_a_validation_error(api_client, telegram):
    fields = telegram_fields()
    del fields["hash"]

    response = api_client.post(URL, fields, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_nested_values_are_refused(api_client, telegram):
    fields = telegram_fields()
    fields["first_name"] = {"nested": "x"}

    response = api_client.post(URL, fields, format="json")

    assert response.json()["error"]["code"] == "telegram_auth_invalid"


def test_telegram_disabled_answers_provider_unknown(api_client, settings):
    settings.OAUTH_TELEGRAM_ENABLED = False

    response = api_client.post(URL, telegram_fields(), format="json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "oauth_provider_unknown"
