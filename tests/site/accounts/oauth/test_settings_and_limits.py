"""Настройки провайдеров, список кнопок, адреса возврата и лимит попыток."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.oauth.providers import providers_settings_check
from tests.site.accounts.oauth.conftest import VK_CALLBACK

pytestmark = pytest.mark.django_db


def test_providers_list_shows_only_enabled_providers(api_client, fake_vk, telegram, settings):
    settings.OAUTH_YANDEX_ENABLED = False

    response = api_client.get("/api/v1/auth/oauth/providers/")

    assert response.status_code == 200
    assert response.json() == [
        {"provider": "vk", "name": "VK ID", "flow": "oauth2"},
        {
            "provider": "telegram",
            "name": "Telegram",
            "flow": "telegram_widget",
            "bot_username": "megashop_test_bot",
            "bot_id": "123456789",
        },
    ]


def test_providers_list_is_empty_by_default(api_client):
    assert api_client.get("/api/v1/auth/oauth/providers/").json() == []


def test_disabled_provider_cannot_be_started(api_client):
    response = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "oauth_provider_unknown"


def test_unknown_provider_is_404(api_client, fake_vk):
    response = api_client.post("/api/v1/auth/oauth/facebook/start/", {"redirect_uri": VK_CALLBACK}, format="json")

    assert response.json()["error"]["code"] == "oauth_provider_unknown"


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example.com/auth/vk/callback",
        "https://shop.example.ru/auth/vk/callback/../../evil",
        "https://shop.example.ru/other",
        "https://evil.com\\@shop.example.ru/auth/vk/callback",
        "https://user@shop.example.ru/auth/vk/callback",
        "http://shop.example.ru/auth/vk/callback",
        "javascript:alert(1)",
    ],
)
def test_redirect_uri_outside_the_allow_list_is_refused(api_client, fake_vk, redirect_uri):
    response = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": redirect_uri}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "oauth_redirect_uri_not_allowed"


def test_start_is_rate_limited_per_ip(api_client, fake_vk, settings):
    settings.OAUTH_LIMIT_IP_PER_HOUR = 2
    for _attempt in range(2):
        response = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json")
        assert response.status_code == 200

    response = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "oauth_throttled"
    assert response.json()["error"]["retry_after"] >= 1


def test_enabled_provider_without_keys_stops_start_up(settings):
    settings.OAUTH_YANDEX_ENABLED = True
    settings.OAUTH_YANDEX_CLIENT_ID = "id"
    settings.OAUTH_YANDEX_CLIENT_SECRET = ""
    settings.OAUTH_REDIRECT_URIS = [VK_CALLBACK]

    with pytest.raises(ImproperlyConfigured, match="OAUTH_YANDEX_CLIENT_SECRET"):
        providers_settings_check()


def test_enabled_oauth_without_any_redirect_uri_refuses_every_start(api_client, fake_vk, settings):
    # given — список адресов пуст и в окружении, и в админке (запуску это не мешает: адреса могут
    # появиться в админке позже)
    settings.OAUTH_REDIRECT_URIS = []
    providers_settings_check()

    response = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "oauth_redirect_uri_not_allowed"


def test_malformed_bot_token_stops_start_up(settings):
    settings.OAUTH_TELEGRAM_ENABLED = True
    settings.OAUTH_TELEGRAM_BOT_TOKEN = "no-colon"
    settings.OAUTH_TELEGRAM_BOT_USERNAME = "bot"

    with pytest.raises(ImproperlyConfigured, match="OAUTH_TELEGRAM_BOT_TOKEN"):
        providers_settings_check()


@pytest.fixture
def regions():
    from regions.registry import region_registry_invalidate
    from tests.factories.regions import RegionFactory

    RegionFactory(code="msk", is_default=True)
    RegionFactory(code="kzn")
    region_registry_invalidate()
    yield
    region_registry_invalidate()


def test_provider_limited_to_regions_is_shown_and_started_only_there(api_client, fake_vk, telegram, regions, settings):
    # given — VK ID только для Москвы, Telegram везде
    settings.OAUTH_VK_REGIONS = ["msk"]

    # when
    in_msk = api_client.get("/api/v1/auth/oauth/providers/", HTTP_X_REGION="msk").json()
    in_kzn = api_client.get("/api/v1/auth/oauth/providers/", HTTP_X_REGION="kzn").json()
    start_kzn = api_client.post(
        "/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json", HTTP_X_REGION="kzn"
    )
    start_msk = api_client.post(
        "/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json", HTTP_X_REGION="msk"
    )

    # then
    assert [item["provider"] for item in in_msk] == ["vk", "telegram"]
    assert [item["provider"] for item in in_kzn] == ["telegram"]
    assert start_kzn.status_code == 404
    assert start_kzn.json()["error"]["code"] == "oauth_provider_unknown"
    assert start_msk.status_code == 200
