"""Настройки провайдеров входа для запроса: запись в базе (регион → все регионы), затем окружение.

Одно место, где решается, включён ли провайдер в регионе и с какими ключами; провайдеры
(accounts.oauth.providers) получают готовый ProviderConfig и в настройки сами не смотрят.
Все записи региона читаются одним запросом.
"""

from dataclasses import dataclass

from django.conf import settings

from accounts.oauth.models import OAuthProviderSetting, OAuthRedirectUri, Provider

SOURCE_DB = "db"
SOURCE_ENV = "env"


@dataclass(frozen=True)
class ProviderConfig:
    """Ключи провайдера в регионе запроса.

    ``client_id`` у Telegram — имя бота, ``client_secret`` — токен бота.
    ``source`` — откуда взято: ``db`` (админка) или ``env`` (окружение).
    """

    code: str
    enabled: bool
    client_id: str = ""
    client_secret: str = ""
    scope: str = ""
    source: str = SOURCE_ENV


def _env(code, name, default=""):
    return getattr(settings, f"OAUTH_{code.upper()}_{name}", default)


def _env_config(code, region, *, any_region=False):
    """Настройки из окружения: OAUTH_<КОД>_ENABLED, _CLIENT_ID, _CLIENT_SECRET, _SCOPE, _REGIONS."""
    regions = _env(code, "REGIONS", [])
    in_region = any_region or not regions or (region is not None and region.code in regions)
    if code == Provider.TELEGRAM:
        client_id, secret = settings.OAUTH_TELEGRAM_BOT_USERNAME, settings.OAUTH_TELEGRAM_BOT_TOKEN
    else:
        client_id, secret = _env(code, "CLIENT_ID"), _env(code, "CLIENT_SECRET")
    return ProviderConfig(
        code=code,
        enabled=bool(_env(code, "ENABLED", False)) and in_region,
        client_id=client_id,
        client_secret=secret,
        scope=_env(code, "SCOPE"),
        source=SOURCE_ENV,
    )


def _row_config(row):
    env_secret = (
        settings.OAUTH_TELEGRAM_BOT_TOKEN if row.provider == Provider.TELEGRAM else _env(row.provider, "CLIENT_SECRET")
    )
    return ProviderConfig(
        code=row.provider,
        enabled=row.enabled,
        client_id=row.client_id.strip(),
        # Пустой секрет в записи — секрет остаётся в окружении.
        client_secret=row.client_secret or env_secret,
        scope=row.scope.strip() or _env(row.provider, "SCOPE"),
        source=SOURCE_DB,
    )


def provider_config_env(code):
    """Настройки провайдера только из окружения, без учёта регионов (проверка при запуске)."""
    return _env_config(code, None, any_region=True)


def provider_configs_for_region(region):
    """Настройки всех провайдеров в регионе: {код: ProviderConfig}; один запрос к базе."""
    rows = OAuthProviderSetting.objects.filter(region__isnull=True)
    if region is not None:
        rows = OAuthProviderSetting.objects.filter(region=region) | rows
    chosen = {}
    for row in rows:
        # Запись региона важнее записи «для всех регионов».
        if row.provider not in chosen or row.region_id is not None:
            chosen[row.provider] = row
    return {
        code: _row_config(chosen[code]) if code in chosen else _env_config(code, region) for code in Provider.values
    }


def provider_config_get(code, region):
    """Настройки одного провайдера в регионе (None — такого провайдера нет)."""
    if code not in Provider.values:
        return None
    return provider_configs_for_region(region)[code]


def redirect_uris_allowed(region):
    """Разрешённые адреса возврата в регионе: OAUTH_REDIRECT_URIS и записи админки (регион и «все»)."""
    rows = OAuthRedirectUri.objects.filter(region__isnull=True)
    if region is not None:
        rows = OAuthRedirectUri.objects.filter(region=region) | rows
    return [*settings.OAUTH_REDIRECT_URIS, *rows.values_list("uri", flat=True)]
