"""Провайдеры OAuth 2.0 (VK ID, Яндекс ID): адрес авторизации, обмен кода, данные пользователя.

Каждый провайдер — небольшой класс над общим HTTP-клиентом ядра интеграций (таймауты,
журнал без секретов). Повторов нет: код авторизации одноразовый, повтор обмена после
обрыва всё равно получил бы отказ. Адреса берутся из настроек (OAUTH_VK_BASE_URL и др.):
у VK они уже переезжали, а тесты направляют их на локальные поддельные серверы.

Протокол по документации провайдеров (что именно использовано — docs/backend/oauth.md):

* VK ID (OAuth 2.1): ``GET {base}/authorize`` с PKCE (code_challenge_method=s256),
  ``POST {base}/oauth2/auth`` (grant_type, code, code_verifier, client_id, device_id,
  redirect_uri, state) — без client_secret, ``POST {base}/oauth2/user_info``
  (client_id, access_token) → ``{"user": {...}}``.
* Яндекс ID: ``GET {oauth}/authorize`` с PKCE S256, ``POST {oauth}/token`` (grant_type,
  code, client_id, client_secret, code_verifier), ``GET {login}/info?format=json``
  с заголовком ``Authorization: OAuth <токен>``.
"""

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

from accounts.normalization import InvalidPhone, normalize_email, phone_normalize
from accounts.oauth.exceptions import CodeInvalid, PayloadInvalid, ProviderUnavailable, ProviderUnknown
from integrations.core.http import HttpClient, HttpError

logger = logging.getLogger(__name__)

# Ошибки OAuth 2.0 (RFC 6749, 5.2), которые значат «сервер провайдера не в порядке», а не «код плохой».
PROVIDER_SIDE_ERRORS = frozenset({"server_error", "temporarily_unavailable"})
# Почтовые домены самого Яндекса: ящик <логин>@<домен> принадлежит владельцу аккаунта.
YANDEX_MAIL_DOMAINS = frozenset({"yandex.ru", "ya.ru", "yandex.com", "yandex.by", "yandex.kz", "yandex.ua", "narod.ru"})


@dataclass(frozen=True)
class ProviderProfile:
    """Пользователь глазами провайдера: идентификатор, контакты с признаком подтверждения, имя."""

    uid: str
    email: str = ""
    email_verified: bool = False
    phone: str = ""
    phone_verified: bool = False
    first_name: str = ""
    last_name: str = ""
    display_name: str = ""
    avatar_url: str = ""


def email_clean(value):
    """Нормализовать e-mail провайдера; непохожее на адрес — пустая строка."""
    email = normalize_email(value if isinstance(value, str) else "")
    if not email or len(email) > 254:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def phone_clean(value):
    """Привести телефон провайдера к E.164 (VK присылает его без «+»); непонятный — пустая строка."""
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        return ""
    raw = str(value).strip()
    if raw.isdigit():
        raw = f"+{raw}"
    try:
        return phone_normalize(raw, require_mobile=False)
    except InvalidPhone:
        return ""


def _text(value, limit):
    return value.strip()[:limit] if isinstance(value, str) else ""


def _verified(value):
    """Признак подтверждения засчитывается только как явный JSON true, не строкой и не числом."""
    return value is True


class OAuthProvider:
    """Провайдер OAuth 2.0 с PKCE: класс задаёт протокол, настройки — ключи и адреса.

    Подкласс определяет ``code``, ``name``, ``authorize_url()`` и ``profile_fetch()``.
    """

    code = ""
    name = ""
    requires_device_id = False

    def setting(self, name, default=None):
        return getattr(settings, f"OAUTH_{self.code.upper()}_{name}", default)

    @property
    def enabled(self):
        return bool(self.setting("ENABLED", False))

    def enabled_in(self, region):
        """Включён ли провайдер в регионе запроса (OAUTH_<КОД>_REGIONS пуст — во всех)."""
        return self.enabled and region_allowed(self.code, region)

    @property
    def client_id(self):
        return self.setting("CLIENT_ID", "")

    def required_settings(self):
        """Имена настроек, без которых включённый провайдер не работает."""
        return ["CLIENT_ID"]

    def button(self):
        """Что нужно витрине, чтобы нарисовать кнопку."""
        return {"provider": self.code, "name": str(self.name), "flow": "oauth2"}

    def _client(self, base_url, *, secrets=()):
        secrets = [self.setting("CLIENT_SECRET", ""), *secrets]
        return HttpClient(base_url=base_url, secrets=secrets, retries=0, name=f"oauth-{self.code}")

    def _call(self, client, method, path, *, code_error=False, **kwargs):
        """Выполнить запрос и вернуть JSON-объект ответа.

        Raises:
            CodeInvalid: ``code_error`` и провайдер ответил 400/401 (код или verifier отвергнуты).
            ProviderUnavailable: сеть, таймаут, 5xx, не JSON.
        """
        try:
            response = client.request(method, path, **kwargs)
            data = response.json()
        except HttpError as error:
            logger.warning("OAuth %s: запрос %s не удался: %s", self.code, path, error)
            if code_error and error.reason == "status" and error.status in (400, 401):
                raise CodeInvalid() from error
            raise ProviderUnavailable() from error
        except ValueError as error:
            logger.warning("OAuth %s: ответ %s не JSON", self.code, path)
            raise ProviderUnavailable() from error
        if not isinstance(data, dict):
            raise ProviderUnavailable()
        error = data.get("error")
        if error:
            logger.warning("OAuth %s: %s ответил ошибкой %s", self.code, path, str(error)[:100])
            if code_error and error not in PROVIDER_SIDE_ERRORS:
                raise CodeInvalid()
            raise ProviderUnavailable()
        return data

    def _access_token(self, data):
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise ProviderUnavailable()
        return token

    def authorize_url(self, *, state, code_challenge, redirect_uri):  # pragma: no cover — абстрактный
        raise NotImplementedError

    def profile_fetch(self, *, code, state, code_verifier, redirect_uri, device_id=""):  # pragma: no cover
        """Обменять код на токен и получить пользователя.

        Args:
            code: код авторизации из адреса возврата.
            state: state этого входа (VK ID возвращает его в ответе — сверяем).
            code_verifier: PKCE verifier, сохранённый при старте.
            redirect_uri: тот же адрес возврата, что был в запросе авторизации.
            device_id: идентификатор устройства (VK ID), иначе пусто.
        Returns:
            ProviderProfile.
        Raises:
            CodeInvalid, ProviderUnavailable.
        """
        raise NotImplementedError


class VkIdProvider(OAuthProvider):
    """VK ID (id.vk.ru): OAuth 2.1, PKCE обязателен, device_id из адреса возврата обязателен."""

    code = "vk"
    name = "VK ID"
    requires_device_id = True

    @property
    def base_url(self):
        return self.setting("BASE_URL").rstrip("/")

    def authorize_url(self, *, state, code_challenge, redirect_uri):
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge": code_challenge,
            # Документация VK ID называет метод строчными буквами: s256.
            "code_challenge_method": "s256",
        }
        if self.setting("SCOPE"):
            params["scope"] = self.setting("SCOPE")
        return f"{self.base_url}/authorize?{urlencode(params)}"

    def profile_fetch(self, *, code, state, code_verifier, redirect_uri, device_id=""):
        if not device_id:
            raise PayloadInvalid()
        client = self._client(self.base_url)
        tokens = self._call(
            client,
            "POST",
            "/oauth2/auth",
            code_error=True,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "code_verifier": code_verifier,
                "client_id": self.client_id,
                "device_id": device_id,
                "redirect_uri": redirect_uri,
                "state": state,
            },
        )
        # VK ID возвращает state в ответе: чужой state — подмена ответа, дальше не идём.
        if tokens.get("state") not in (None, state):
            raise CodeInvalid()
        access_token = self._access_token(tokens)
        client.secrets.append(access_token)
        info = self._call(
            client, "POST", "/oauth2/user_info", data={"client_id": self.client_id, "access_token": access_token}
        )
        user = info.get("user")
        if not isinstance(user, dict):
            raise ProviderUnavailable()
        uid = user.get("user_id") or tokens.get("user_id")
        if isinstance(uid, bool) or not isinstance(uid, str | int) or not str(uid).strip():
            raise ProviderUnavailable()
        email = email_clean(user.get("email"))
        phone = phone_clean(user.get("phone"))
        first_name, last_name = _text(user.get("first_name"), 150), _text(user.get("last_name"), 150)
        return ProviderProfile(
            uid=str(uid).strip()[:64],
            email=email,
            # VK ID в user_info не сообщает, подтверждены ли почта и телефон: без явного true — нет.
            email_verified=bool(email) and _verified(user.get("email_verified")),
            phone=phone,
            phone_verified=bool(phone) and _verified(user.get("phone_verified")),
            first_name=first_name,
            last_name=last_name,
            display_name=f"{first_name} {last_name}".strip()[:300],
            avatar_url=_text(user.get("avatar"), 1000),
        )


class YandexIdProvider(OAuthProvider):
    """Яндекс ID: OAuth 2.0 с PKCE S256, приложение с секретом (обмен кода — только с сервера)."""

    code = "yandex"
    name = "Яндекс ID"

    def required_settings(self):
        return ["CLIENT_ID", "CLIENT_SECRET"]

    @property
    def oauth_url(self):
        return self.setting("OAUTH_URL").rstrip("/")

    @property
    def login_url(self):
        return self.setting("LOGIN_URL").rstrip("/")

    def authorize_url(self, *, state, code_challenge, redirect_uri):
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        if self.setting("SCOPE"):
            params["scope"] = self.setting("SCOPE")
        return f"{self.oauth_url}/authorize?{urlencode(params)}"

    def profile_fetch(self, *, code, state, code_verifier, redirect_uri, device_id=""):
        client = self._client(self.oauth_url)
        tokens = self._call(
            client,
            "POST",
            "/token",
            code_error=True,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
                "client_secret": self.setting("CLIENT_SECRET", ""),
                "code_verifier": code_verifier,
            },
        )
        access_token = self._access_token(tokens)
        info_client = self._client(self.login_url, secrets=[access_token])
        info = self._call(
            info_client, "GET", "/info", params={"format": "json"}, headers={"Authorization": f"OAuth {access_token}"}
        )
        uid = info.get("id")
        if isinstance(uid, bool) or not isinstance(uid, str | int) or not str(uid).strip():
            raise ProviderUnavailable()
        email = email_clean(info.get("default_email"))
        default_phone = info.get("default_phone")
        phone = phone_clean(default_phone.get("number")) if isinstance(default_phone, dict) else ""
        first_name, last_name = _text(info.get("first_name"), 150), _text(info.get("last_name"), 150)
        avatar_id = _text(info.get("default_avatar_id"), 200)
        return ProviderProfile(
            uid=str(uid).strip()[:64],
            email=email,
            email_verified=bool(email) and self._own_mailbox(email, info.get("login")),
            phone=phone,
            # Яндекс не сообщает, подтверждён ли телефон для оповещений: считаем неподтверждённым.
            phone_verified=False,
            first_name=first_name,
            last_name=last_name,
            display_name=_text(info.get("display_name") or info.get("real_name"), 300),
            avatar_url=f"{self.setting('AVATAR_URL').rstrip('/')}/{avatar_id}/islands-200" if avatar_id else "",
        )

    @staticmethod
    def _own_mailbox(email, login):
        """Адрес — ящик самого аккаунта в Почте Яндекса (``<логин>@yandex.ru``): он подтверждён входом.

        Яндекс не различает в логине точку и дефис, поэтому сравниваем без этой разницы.
        Сторонний адрес по умолчанию (gmail и т. п.) подтверждённым не считается.
        """
        if not isinstance(login, str) or not login:
            return False
        local, _sep, domain = email.rpartition("@")
        return domain in YANDEX_MAIL_DOMAINS and local.replace(".", "-") == login.lower().replace(".", "-")


OAUTH_PROVIDERS = {provider.code: provider for provider in (VkIdProvider(), YandexIdProvider())}


def region_allowed(code, region):
    """Разрешён ли способ входа ``code`` в регионе: список OAUTH_<КОД>_REGIONS пуст или содержит его код."""
    codes = getattr(settings, f"OAUTH_{code.upper()}_REGIONS", [])
    return not codes or (region is not None and region.code in codes)


def oauth_provider_get(code, *, region=None):
    """Вернуть провайдера OAuth, включённого в регионе запроса. Raises: ProviderUnknown."""
    provider = OAUTH_PROVIDERS.get(code)
    if provider is None or not provider.enabled_in(region):
        raise ProviderUnknown()
    return provider


def telegram_enabled(*, region=None):
    return bool(settings.OAUTH_TELEGRAM_ENABLED) and region_allowed("telegram", region)


def providers_enabled_list(*, region=None):
    """Кнопки способов входа, включённых в регионе: OAuth-провайдеры и виджет Telegram."""
    buttons = [provider.button() for provider in OAUTH_PROVIDERS.values() if provider.enabled_in(region)]
    if telegram_enabled(region=region):
        token = settings.OAUTH_TELEGRAM_BOT_TOKEN
        buttons.append(
            {
                "provider": "telegram",
                "name": "Telegram",
                "flow": "telegram_widget",
                # Имя бота — для data-telegram-login виджета, id бота (часть токена до «:», публичная) —
                # для Telegram.Login.auth({bot_id}) без виджета.
                "bot_username": settings.OAUTH_TELEGRAM_BOT_USERNAME,
                "bot_id": token.split(":", 1)[0],
            }
        )
    return buttons


def providers_settings_check():
    """Проверить настройки включённых провайдеров при запуске. Raises: ImproperlyConfigured."""
    problems = []
    for provider in OAUTH_PROVIDERS.values():
        if provider.enabled:
            missing = [f"OAUTH_{provider.code.upper()}_{name}" for name in provider.required_settings()]
            problems += [name for name in missing if not getattr(settings, name, "")]
    if any(provider.enabled for provider in OAUTH_PROVIDERS.values()) and not settings.OAUTH_REDIRECT_URIS:
        problems.append("OAUTH_REDIRECT_URIS")
    if telegram_enabled():
        token = settings.OAUTH_TELEGRAM_BOT_TOKEN
        if ":" not in token:
            problems.append("OAUTH_TELEGRAM_BOT_TOKEN (вида 123456:ABC...)")
        if not settings.OAUTH_TELEGRAM_BOT_USERNAME:
            problems.append("OAUTH_TELEGRAM_BOT_USERNAME")
    if problems:
        raise ImproperlyConfigured(
            "Вход через соцсети включён, но не заданы настройки: "
            + ", ".join(problems)
            + ". См. docs/sysadmin/oauth.md."
        )
