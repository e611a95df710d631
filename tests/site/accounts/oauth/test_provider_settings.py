"""Настройки провайдеров в базе (админка): регион важнее «всех регионов», база важнее окружения,
секрет зашифрован и не показывается, адреса возврата — по регионам; доступ — по правам моделей."""

from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.oauth.models import OAuthProviderSetting, OAuthRedirectUri
from staff import roles
from tests.factories.accounts import UserFactory
from tests.site.accounts.oauth.conftest import (
    BOT_TOKEN,
    VK_CALLBACK,
    YANDEX_CALLBACK,
    YANDEX_CLIENT_ID,
    YANDEX_SECRET,
    oauth_login,
    telegram_fields,
)

pytestmark = pytest.mark.django_db

PROVIDERS_ADMIN = "/admin/oauth/providers/"
SHOP_CALLBACK_KZN = "https://kzn.example.ru/auth/callback"


@pytest.fixture(autouse=True)
def _secret_key(settings):
    settings.INTEGRATIONS_SECRET_KEY = Fernet.generate_key().decode()


@pytest.fixture
def regions():
    from regions.registry import region_registry_invalidate
    from tests.factories.regions import RegionFactory

    found = {"msk": RegionFactory(code="msk", is_default=True), "kzn": RegionFactory(code="kzn")}
    region_registry_invalidate()
    yield found
    region_registry_invalidate()


def setting_create(provider, *, region=None, secret="", **fields):
    setting = OAuthProviderSetting(provider=provider, region=region, **fields)
    setting.client_secret_set(secret)
    setting.save()
    return setting


def start(api_client, provider, callback, region="msk"):
    return api_client.post(
        f"/api/v1/auth/oauth/{provider}/start/", {"redirect_uri": callback}, format="json", HTTP_X_REGION=region
    )


def authorize_params(response):
    return {key: values[0] for key, values in parse_qs(urlsplit(response.json()["authorize_url"]).query).items()}


def test_region_record_beats_all_regions_record_which_beats_the_environment(api_client, fake_vk, regions):
    # given — окружение: client id 51234567; база: «все регионы» — 700, Казань — 800
    setting_create("vk", enabled=True, client_id="700")
    setting_create("vk", region=regions["kzn"], enabled=True, client_id="800", scope="email")

    # when
    in_msk = authorize_params(start(api_client, "vk", VK_CALLBACK, "msk"))
    in_kzn = authorize_params(start(api_client, "vk", VK_CALLBACK, "kzn"))

    # then
    assert (in_msk["client_id"], in_msk["scope"]) == ("700", "email phone")  # scope пуст — из окружения
    assert (in_kzn["client_id"], in_kzn["scope"]) == ("800", "email")


def test_disabled_region_record_hides_the_provider_only_in_that_region(api_client, fake_vk, regions):
    setting_create("vk", region=regions["kzn"], enabled=False, client_id="800")

    in_msk = api_client.get("/api/v1/auth/oauth/providers/", HTTP_X_REGION="msk").json()
    in_kzn = api_client.get("/api/v1/auth/oauth/providers/", HTTP_X_REGION="kzn").json()

    assert [item["provider"] for item in in_msk] == ["vk"]
    assert in_kzn == []
    assert start(api_client, "vk", VK_CALLBACK, "kzn").json()["error"]["code"] == "oauth_provider_unknown"


def test_provider_enabled_only_in_the_admin_logs_in_with_the_encrypted_secret(api_client, fake_yandex, settings):
    # given — в окружении Яндекс выключен и секрета нет; в базе — включён с секретом
    settings.OAUTH_YANDEX_ENABLED = False
    settings.OAUTH_YANDEX_CLIENT_SECRET = ""
    setting_create("yandex", enabled=True, client_id=YANDEX_CLIENT_ID, secret=YANDEX_SECRET)

    response = oauth_login(api_client, fake_yandex, "yandex", YANDEX_CALLBACK)

    assert response.status_code == 200, response.content
    assert fake_yandex.token_requests[0]["client_secret"] == YANDEX_SECRET
    (stored,) = OAuthProviderSetting.objects.values_list("secret_encrypted", flat=True)
    assert stored and YANDEX_SECRET not in stored


def test_record_without_secret_uses_the_secret_from_the_environment(api_client, fake_yandex):
    setting_create("yandex", enabled=True, client_id=YANDEX_CLIENT_ID)

    response = oauth_login(api_client, fake_yandex, "yandex", YANDEX_CALLBACK)

    assert response.status_code == 200, response.content


def test_enabled_record_without_any_secret_keeps_the_provider_hidden(api_client, fake_yandex, settings):
    settings.OAUTH_YANDEX_CLIENT_SECRET = ""
    setting_create("yandex", enabled=True, client_id=YANDEX_CLIENT_ID)

    assert api_client.get("/api/v1/auth/oauth/providers/").json() == []


def test_telegram_bot_from_the_admin_verifies_widget_data(api_client, settings):
    settings.OAUTH_TELEGRAM_ENABLED = False
    setting_create("telegram", enabled=True, client_id="shop_bot", secret=BOT_TOKEN)

    buttons = api_client.get("/api/v1/auth/oauth/providers/").json()
    response = api_client.post("/api/v1/auth/telegram/complete/", telegram_fields(), format="json")

    assert buttons == [
        {
            "provider": "telegram",
            "name": "Telegram",
            "flow": "telegram_widget",
            "bot_username": "shop_bot",
            "bot_id": "123456789",
        }
    ]
    assert response.status_code == 200, response.content


def test_redirect_uri_from_the_admin_is_allowed_only_in_its_region(api_client, fake_vk, regions):
    # given — окружение разрешает адреса shop.example.ru везде; админка — kzn.example.ru для Казани
    OAuthRedirectUri.objects.create(uri=SHOP_CALLBACK_KZN, region=regions["kzn"])

    in_kzn = start(api_client, "vk", SHOP_CALLBACK_KZN, "kzn")
    in_msk = start(api_client, "vk", SHOP_CALLBACK_KZN, "msk")
    env_uri_in_kzn = start(api_client, "vk", VK_CALLBACK, "kzn")

    assert in_kzn.status_code == 200, in_kzn.content
    assert in_msk.status_code == 400
    assert in_msk.json()["error"]["code"] == "oauth_redirect_uri_not_allowed"
    assert env_uri_in_kzn.status_code == 200


def test_providers_list_reads_settings_in_a_constant_number_of_queries(
    api_client, fake_vk, fake_yandex, telegram, regions, django_assert_max_num_queries
):
    for code in ("vk", "yandex", "sber", "telegram"):
        setting_create(code, enabled=False, client_id="x")
        setting_create(code, region=regions["kzn"], enabled=False, client_id="y")

    with django_assert_max_num_queries(2):
        response = api_client.get("/api/v1/auth/oauth/providers/", HTTP_X_REGION="kzn")

    assert response.json() == []


def test_rotate_key_re_encrypts_provider_secrets(settings):
    # given
    setting = setting_create("yandex", enabled=True, client_id="id", secret=YANDEX_SECRET)
    old_key = settings.INTEGRATIONS_SECRET_KEY
    new_key = Fernet.generate_key().decode()
    settings.INTEGRATIONS_SECRET_KEY = f"{new_key},{old_key}"

    # when
    call_command("integrations", "rotate-key")
    settings.INTEGRATIONS_SECRET_KEY = new_key

    # then — старого ключа больше нет, секрет читается новым
    setting.refresh_from_db()
    assert setting.client_secret == YANDEX_SECRET


# --- Админка ------------------------------------------------------------------------------------------


def role_client(client, role):
    user = UserFactory(is_staff=True, is_superuser=False)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


def test_administrator_saves_a_secret_that_is_never_shown_back(client, settings):
    settings.OAUTH_YANDEX_CLIENT_SECRET = ""
    role_client(client, roles.ADMINISTRATOR)

    created = client.post(
        f"{PROVIDERS_ADMIN}new/",
        {"provider": "yandex", "region": "", "enabled": "on", "client_id": "ya-id", "client_secret": YANDEX_SECRET},
    )
    setting = OAuthProviderSetting.objects.get()
    edit = client.get(f"{PROVIDERS_ADMIN}edit/{setting.pk}/").content.decode()
    # Пустое поле секрета при сохранении оставляет прежний секрет.
    client.post(
        f"{PROVIDERS_ADMIN}edit/{setting.pk}/",
        {"provider": "yandex", "region": "", "enabled": "on", "client_id": "ya-id-2", "client_secret": ""},
    )

    listing = client.get(PROVIDERS_ADMIN)

    assert created.status_code == 302, created.content.decode()[:2000]
    assert listing.status_code == 200
    assert "ya-id-2" in listing.content.decode()
    assert YANDEX_SECRET not in listing.content.decode()
    assert YANDEX_SECRET not in edit
    assert "задан" in edit
    setting.refresh_from_db()
    assert (setting.client_id, setting.client_secret) == ("ya-id-2", YANDEX_SECRET)


def test_enabling_a_provider_without_any_secret_is_a_form_error(client, settings):
    settings.OAUTH_YANDEX_CLIENT_SECRET = ""
    role_client(client, roles.ADMINISTRATOR)

    response = client.post(
        f"{PROVIDERS_ADMIN}new/", {"provider": "yandex", "region": "", "enabled": "on", "client_id": "ya-id"}
    )

    assert response.status_code == 200
    assert "нужен секрет" in response.content.decode()
    assert not OAuthProviderSetting.objects.exists()


def test_redirect_uri_in_the_admin_must_be_a_safe_https_address(client):
    role_client(client, roles.ADMINISTRATOR)

    refused = client.post("/admin/oauth/redirect-uris/new/", {"uri": "javascript:alert(1)", "region": ""})
    saved = client.post("/admin/oauth/redirect-uris/new/", {"uri": "https://Shop.Example.ru/cb", "region": ""})

    assert refused.status_code == 200
    assert saved.status_code == 302
    assert list(OAuthRedirectUri.objects.values_list("uri", flat=True)) == ["https://shop.example.ru/cb"]


@pytest.mark.parametrize("role", [roles.ORDER_MANAGER, roles.CONTENT_EDITOR, roles.MERCHANDISER])
def test_other_roles_cannot_open_provider_settings(client, role):
    setting_create("vk", enabled=False, client_id="1")
    role_client(client, role)

    assert client.get(PROVIDERS_ADMIN).status_code == 302
    assert client.get("/admin/oauth/redirect-uris/").status_code == 302
