"""Аутентификация API сотрудников: сессия Django с CSRF (общая с Wagtail) и ключи API.

Сессия: SessionAuthentication DRF проверяет CSRF для каждого изменяющего запроса вошедшего
пользователя, поэтому токены в хранилище браузера не нужны. Ключ API: заголовок
``Authorization: Api-Key msk_….…`` — для скриптов; CSRF к нему не относится (нет cookie).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from staffapi.api_keys import api_key_authenticate

API_KEY_KEYWORD = "Api-Key"


class StaffSessionAuthentication(authentication.SessionAuthentication):
    """Сессия Django с обязательной проверкой CSRF; 401 (а не 403) без входа."""

    def authenticate_header(self, request):
        return 'Session realm="api-admin"'


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Ключ API: request.user — владелец ключа, request.auth — сам ключ (ApiKey)."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        keyword, _space, raw_key = header.partition(" ")
        if keyword != API_KEY_KEYWORD:
            return None
        key = api_key_authenticate(raw_key=raw_key.strip())
        if key is None or not key.owner.is_active:
            raise exceptions.AuthenticationFailed(_("Ключ API неверен или отозван."))
        return key.owner, key

    def authenticate_header(self, request):
        return API_KEY_KEYWORD
