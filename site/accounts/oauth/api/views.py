"""Представления API входа через соцсети: проверить ввод, вызвать сервис, оформить ответ."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts import error_codes as accounts_codes
from accounts import services as accounts_services
from accounts.api.schema import VALIDATION, auth_operation, me_operation
from accounts.api.serializers import ProfileOutputSerializer
from accounts.api.views import MeApi, PublicApi, _validated
from accounts.oauth import error_codes, selectors, services
from accounts.oauth.api import serializers as s
from accounts.oauth.providers import providers_enabled_list
from core.client_ip import client_ip_get

# Ошибки операций по статусам (аргументы auth_operation/me_operation): у входа и у привязки они общие.
START_ERRORS = {
    "e400": [VALIDATION, error_codes.REDIRECT_URI_NOT_ALLOWED],
    "e404": [error_codes.PROVIDER_UNKNOWN],
    "e429": [error_codes.THROTTLED],
}
COMPLETE_ERRORS = {
    "e400": [VALIDATION, error_codes.STATE_INVALID, error_codes.CODE_INVALID, error_codes.PAYLOAD_INVALID],
    "e404": [error_codes.PROVIDER_UNKNOWN],
    "e429": [error_codes.THROTTLED],
    "e502": [error_codes.PROVIDER_UNAVAILABLE],
}
TELEGRAM_ERRORS = {
    "e400": [VALIDATION, error_codes.TELEGRAM_AUTH_INVALID, error_codes.TELEGRAM_AUTH_EXPIRED],
    "e404": [error_codes.PROVIDER_UNKNOWN],
    "e429": [error_codes.THROTTLED],
}
LOGIN_DISABLED = [accounts_codes.ACCOUNT_DISABLED]
LINK_CONFLICTS = [error_codes.SOCIAL_ACCOUNT_TAKEN, error_codes.SOCIAL_ACCOUNT_PROVIDER_LINKED]
OAUTH_PROVIDERS_TEXT = "VK ID, Яндекс ID или Сбер ID"


def _region(request):
    return getattr(request, "region", None)


def _login_response(user, created):
    tokens = accounts_services.token_pair_issue(user=user)
    return Response({**tokens, "user": ProfileOutputSerializer(user).data, "created": created})


class OAuthProvidersApi(PublicApi):
    @auth_operation("Включённые способы входа через соцсети (для кнопок)", ok=s.ProviderButtonSerializer(many=True))
    def get(self, request):
        return Response(providers_enabled_list(region=_region(request)))


class OAuthStartApi(PublicApi):
    @auth_operation(
        f"Начать вход через {OAUTH_PROVIDERS_TEXT}: адрес авторизации и state",
        description="state и PKCE verifier хранятся на сервере 10 минут и используются один раз.",
        request=s.OAuthStartInputSerializer,
        ok=s.OAuthStartOutputSerializer,
        **START_ERRORS,
    )
    def post(self, request, provider):
        data = _validated(s.OAuthStartInputSerializer, request)
        result = services.oauth_start(
            provider_code=provider,
            redirect_uri=data["redirect_uri"],
            ip_address=client_ip_get(request),
            region=_region(request),
        )
        return Response(result)


class OAuthCompleteApi(PublicApi):
    @auth_operation(
        f"Завершить вход через {OAUTH_PROVIDERS_TEXT} и получить JWT",
        description="Первый вход создаёт аккаунт (created=true). Провайдер недоступен — 502, ничего не создано.",
        request=s.OAuthCompleteInputSerializer,
        ok=s.OAuthLoginOutputSerializer,
        e403=LOGIN_DISABLED,
        **COMPLETE_ERRORS,
    )
    def post(self, request, provider):
        data = _validated(s.OAuthCompleteInputSerializer, request)
        user, created = services.oauth_complete(
            provider_code=provider,
            code=data["code"],
            state=data["state"],
            device_id=data.get("device_id", ""),
            ip_address=client_ip_get(request),
            region=_region(request),
        )
        return _login_response(user, created)


class TelegramCompleteApi(PublicApi):
    @auth_operation(
        "Войти через Telegram Login Widget и получить JWT",
        description="Передайте объект виджета как есть (id, first_name, …, auth_date, hash).",
        request=s.TelegramCompleteInputSerializer,
        ok=s.OAuthLoginOutputSerializer,
        e403=LOGIN_DISABLED,
        **TELEGRAM_ERRORS,
    )
    def post(self, request):
        fields = _validated(s.TelegramCompleteInputSerializer, request)
        user, created = services.telegram_complete(
            fields=fields, ip_address=client_ip_get(request), region=_region(request)
        )
        return _login_response(user, created)


# --- /me/social-accounts/ -----------------------------------------------------------------------------


class SocialAccountListApi(MeApi):
    @me_operation("Привязанные аккаунты соцсетей", ok=s.SocialAccountSerializer(many=True))
    def get(self, request):
        accounts = selectors.social_account_list_for_user(user=request.user)
        return Response(s.SocialAccountSerializer(accounts, many=True).data)


class SocialAccountDetailApi(MeApi):
    @me_operation(
        "Отвязать аккаунт соцсети (если останется другой способ войти)",
        ok=OpenApiResponse(description="Отвязан."),
        status=204,
        e404=["not_found"],
        e409=[error_codes.SOCIAL_ACCOUNT_LAST_LOGIN],
    )
    def delete(self, request, account_id):
        try:
            services.social_account_unlink(user=request.user, account_id=account_id)
        except NotFound as error:
            raise NotFound(_("Привязка не найдена.")) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class SocialAccountLinkStartApi(MeApi):
    @me_operation(
        f"Начать привязку {OAUTH_PROVIDERS_TEXT} к своему аккаунту",
        request=s.OAuthStartInputSerializer,
        ok=s.OAuthStartOutputSerializer,
        **START_ERRORS,
    )
    def post(self, request, provider):
        data = _validated(s.OAuthStartInputSerializer, request)
        result = services.oauth_start(
            provider_code=provider,
            redirect_uri=data["redirect_uri"],
            ip_address=client_ip_get(request),
            user=request.user,
            region=_region(request),
        )
        return Response(result)


class SocialAccountLinkCompleteApi(MeApi):
    @me_operation(
        f"Завершить привязку {OAUTH_PROVIDERS_TEXT}",
        description="state привязки завершает только тот пользователь, который её начал.",
        request=s.OAuthCompleteInputSerializer,
        ok=s.SocialAccountSerializer,
        status=201,
        e409=LINK_CONFLICTS,
        **COMPLETE_ERRORS,
    )
    def post(self, request, provider):
        data = _validated(s.OAuthCompleteInputSerializer, request)
        account = services.oauth_link_complete(
            user=request.user,
            provider_code=provider,
            code=data["code"],
            state=data["state"],
            device_id=data.get("device_id", ""),
            ip_address=client_ip_get(request),
            region=_region(request),
        )
        return Response(s.SocialAccountSerializer(account).data, status=status.HTTP_201_CREATED)


class TelegramLinkApi(MeApi):
    @me_operation(
        "Привязать Telegram к своему аккаунту (данные виджета)",
        request=s.TelegramCompleteInputSerializer,
        ok=s.SocialAccountSerializer,
        status=201,
        e409=LINK_CONFLICTS,
        **TELEGRAM_ERRORS,
    )
    def post(self, request):
        fields = _validated(s.TelegramCompleteInputSerializer, request)
        account = services.telegram_link(
            user=request.user, fields=fields, ip_address=client_ip_get(request), region=_region(request)
        )
        return Response(s.SocialAccountSerializer(account).data, status=status.HTTP_201_CREATED)
