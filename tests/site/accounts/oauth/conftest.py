"""Фикстуры входа через соцсети: поддельные провайдеры на 127.0.0.1 и подпись данных Telegram."""

import time

import pytest

from accounts.oauth.telegram import telegram_signature
from tests.site.accounts.oauth.fakes import FakeVkId, FakeYandex

VK_CLIENT_ID = "51234567"
YANDEX_CLIENT_ID = "yandex-client"
YANDEX_SECRET = "yandex-secret-value"
BOT_TOKEN = "123456789:AAHfake-test-bot-token"
VK_CALLBACK = "https://shop.example.ru/auth/vk/callback"
YANDEX_CALLBACK = "https://shop.example.ru/auth/yandex/callback"


@pytest.fixture
def fake_vk(httpserver, settings):
    fake = FakeVkId(httpserver, "/vk", VK_CLIENT_ID).install()
    settings.OAUTH_VK_ENABLED = True
    settings.OAUTH_VK_CLIENT_ID = VK_CLIENT_ID
    settings.OAUTH_VK_BASE_URL = fake.url()
    settings.OAUTH_REDIRECT_URIS = [VK_CALLBACK, YANDEX_CALLBACK]
    fake.user = {"user_id": 1001, "first_name": "Иван", "last_name": "Петров", "avatar": "https://vk.example/a.jpg"}
    return fake


@pytest.fixture
def fake_yandex(httpserver, settings):
    fake = FakeYandex(httpserver, "/yandex-oauth", YANDEX_CLIENT_ID, YANDEX_SECRET, "/yandex-login").install()
    settings.OAUTH_YANDEX_ENABLED = True
    settings.OAUTH_YANDEX_CLIENT_ID = YANDEX_CLIENT_ID
    settings.OAUTH_YANDEX_CLIENT_SECRET = YANDEX_SECRET
    settings.OAUTH_YANDEX_OAUTH_URL = fake.url()
    settings.OAUTH_YANDEX_LOGIN_URL = fake.login_url()
    settings.OAUTH_REDIRECT_URIS = [VK_CALLBACK, YANDEX_CALLBACK]
    fake.user = {"id": "2002", "login": "ivan.petrov", "default_email": "ivan.petrov@yandex.ru", "first_name": "Иван"}
    return fake


@pytest.fixture
def telegram(settings):
    settings.OAUTH_TELEGRAM_ENABLED = True
    settings.OAUTH_TELEGRAM_BOT_TOKEN = BOT_TOKEN
    settings.OAUTH_TELEGRAM_BOT_USERNAME = "megashop_test_bot"
    return settings


def telegram_fields(*, bot_token=BOT_TOKEN, auth_date=None, **overrides):
    """Поля виджета, подписанные так, как их подписывает Telegram."""
    fields = {
        "id": 3003,
        "first_name": "Иван",
        "username": "ivan_tg",
        "photo_url": "https://t.me/i/userpic/320/ivan.jpg",
        "auth_date": int(time.time()) if auth_date is None else auth_date,
        **overrides,
    }
    fields["hash"] = telegram_signature({key: str(value) for key, value in fields.items()}, bot_token=bot_token)
    return fields


def oauth_login(api_client, fake, provider, callback, **complete_extra):
    """Пройти весь вход: start → «браузер» у провайдера → complete. Вернуть ответ complete."""
    started = api_client.post(f"/api/v1/auth/oauth/{provider}/start/", {"redirect_uri": callback}, format="json")
    assert started.status_code == 200, started.content
    returned = fake.authorize(started.json()["authorize_url"])
    assert returned["state"] == started.json()["state"]
    body = {"code": returned["code"], "state": returned["state"], **complete_extra}
    if "device_id" in returned:
        body.setdefault("device_id", returned["device_id"])
    return api_client.post(f"/api/v1/auth/oauth/{provider}/complete/", body, format="json")
