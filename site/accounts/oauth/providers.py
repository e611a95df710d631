"""Провайдеры OAuth 2.0 (VK ID, Яндекс ID, Сбер ID): адрес авторизации, обмен кода, данные пользователя.

Каждый провайдер — небольшой класс над общим HTTP-клиентом core.http_client (таймауты,
журнал без секретов). Повторов нет: код авторизации одноразовый, повтор обмена после
обрыва всё равно получил бы отказ. Ключи (client id, секрет, scope, включён ли) провайдер
получает готовыми (accounts.oauth.config: админка, затем окружение); адреса — только из
окружения (OAUTH_VK_BASE_URL и др.): у VK они уже переезжали, тесты направляют их на
локальные поддельные серверы, а сотрудник с доступом к админке подменить их не может.

Протокол по документации провайдеров (что именно использовано — docs/backend/oauth.md):

* VK ID (OAuth 2.1): ``GET {base}/authorize`` с PKCE (code_challenge_method=s256),
  ``POST {base}/oauth2/auth`` (grant_type, code, code_verifier, client_id, device_id,
  redirect_uri, state) — без client_secret, ``POST {base}/oauth2/user_info``
  (client_id, access_token) → ``{"user": {...}}``.
* Яндекс ID: ``GET {oauth}/authorize`` с PKCE S256, ``POST {oauth}/token`` (grant_type,
  code, client_id, client_secret, code_verifier), ``GET {login}/info?format=json``
  с заголовком ``Authorization: OAuth <токен>``.
* Сбер ID (OpenID Connect, developers.sber.ru/docs/ru/sberid): ``GET {authorize_url}``
  (response_type, client_type=PRIVATE, scope с openid, state, nonce, PKCE S256),
  ``POST {api}/tokens/v2/oidc`` с заголовком ``rquid`` (32 hex) и клиентским сертификатом
  (mTLS), ``GET {api}/sberbankid/v2.1/userinfo`` с ``Authorization: Bearer`` и
  ``x-introspect-rquid``.
"""

import logging
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

from accounts.normalization import InvalidPhone, normalize_email, phone_normalize
from accounts.oauth.config import (
    ProviderConfig,
    provider_config_env,
    provider_config_get,
    provider_configs_for_region,
)
from accounts.oauth.exceptions import CodeInvalid, PayloadInvalid, ProviderUnavailable, ProviderUnknown
from accounts.oauth.models import Provider
from core.http_client import HttpClient, HttpError

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


def _uid(value):
    """Идентификатор пользователя у провайдера строкой; пустой или не строка/число — ответ не по протоколу."""
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise ProviderUnavailable()
    return str(value).strip()[:64]


class OAuthProvider:
    """Провайдер OAuth 2.0 с PKCE: класс задаёт протокол, ProviderConfig — ключи региона.

    Подкласс определяет ``code``, ``name``, ``authorize_url()`` и ``profile_fetch()``;
    код на токен меняет общий :meth:`code_exchange`.
    """

    code = ""
    name = ""
    requires_device_id = False
    # Конфиденциальное приложение: обмен кода идёт с client_secret (VK ID — публичное, без него).
    requires_secret = False

    def __init__(self, config=None):
        self.config = config or ProviderConfig(code=self.code, enabled=False)

    def setting(self, name, default=None):
        """Настройка сервера OAUTH_<КОД>_<ИМЯ> (адреса, сертификаты) — только из окружения."""
        return getattr(settings, f"OAUTH_{self.code.upper()}_{name}", default)

    @property
    def client_id(self):
        return self.config.client_id

    @property
    def client_secret(self):
        return self.config.client_secret

    @property
    def enabled(self):
        return self.config.enabled and not self.missing()

    def missing(self):
        """Чего не хватает включённому провайдеру: имена ключей (пустой список — всё на месте)."""
        names = [] if self.client_id else ["CLIENT_ID"]
        if self.requires_secret and not self.client_secret:
            names.append("CLIENT_SECRET")
        return names

    def button(self):
        """Что нужно витрине, чтобы нарисовать кнопку."""
        return {"provider": self.code, "name": str(self.name), "flow": "oauth2"}

    def _client(self, base_url, *, secrets=()):
        return HttpClient(
            base_url=base_url, secrets=[self.client_secret, *secrets], retries=0, name=f"oauth-{self.code}"
        )

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

    def code_exchange(self, client, path, *, code, code_verifier, form=None, **kwargs):
        """Обменять код авторизации на токены (RFC 6749, 4.1.3 + RFC 7636) — одна функция для всех.

        Args:
            client: HttpClient сервера токенов; токен доступа добавляется в его секреты.
            path: путь сервера токенов.
            code, code_verifier: код из адреса возврата и PKCE verifier этого входа.
            form: поля сверх общих (device_id, redirect_uri, client_secret, state).
            kwargs: заголовки, сертификат — как в requests.
        Returns:
            пару (JSON ответа, access_token).
        Raises:
            CodeInvalid, ProviderUnavailable.
        """
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": self.client_id,
            "code_verifier": code_verifier,
            **(form or {}),
        }
        tokens = self._call(client, "POST", path, code_error=True, data=data, **kwargs)
        token = tokens.get("access_token")
        if not isinstance(token, str) or not token:
            raise ProviderUnavailable()
        client.secrets.append(token)
        return tokens, token

    def authorize_params(self, *, state, code_challenge, redirect_uri, method="S256"):
        """Общие параметры адреса авторизации с PKCE и scope (если задан)."""
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": method,
        }
        if self.config.scope:
            params["scope"] = self.config.scope
        return params

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

    code = Provider.VK
    name = "VK ID"
    requires_device_id = True

    @property
    def base_url(self):
        return self.setting("BASE_URL").rstrip("/")

    def authorize_url(self, *, state, code_challenge, redirect_uri):
        # Документация VK ID называет метод строчными буквами: s256.
        params = self.authorize_params(
            state=state, code_challenge=code_challenge, redirect_uri=redirect_uri, method="s256"
        )
        return f"{self.base_url}/authorize?{urlencode(params)}"

    def profile_fetch(self, *, code, state, code_verifier, redirect_uri, device_id=""):
        if not device_id:
            raise PayloadInvalid()
        client = self._client(self.base_url)
        tokens, access_token = self.code_exchange(
            client,
            "/oauth2/auth",
            code=code,
            code_verifier=code_verifier,
            form={"device_id": device_id, "redirect_uri": redirect_uri, "state": state},
        )
        # VK ID возвращает state в ответе: чужой state — подмена ответа, дальше не идём.
        if tokens.get("state") not in (None, state):
            raise CodeInvalid()
        info = self._call(
            client, "POST", "/oauth2/user_info", data={"client_id": self.client_id, "access_token": access_token}
        )
        user = info.get("user")
        if not isinstance(user, dict):
            raise ProviderUnavailable()
        email = email_clean(user.get("email"))
        phone = phone_clean(user.get("phone"))
        first_name, last_name = _text(user.get("first_name"), 150), _text(user.get("last_name"), 150)
        return ProviderProfile(
            uid=_uid(user.get("user_id") or tokens.get("user_id")),
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

    code = Provider.YANDEX
    name = "Яндекс ID"
    requires_secret = True

    @property
    def oauth_url(self):
        return self.setting("OAUTH_URL").rstrip("/")

    @property
    def login_url(self):
        return self.setting("LOGIN_URL").rstrip("/")

    def authorize_url(self, *, state, code_challenge, redirect_uri):
        params = self.authorize_params(state=state, code_challenge=code_challenge, redirect_uri=redirect_uri)
        return f"{self.oauth_url}/authorize?{urlencode(params)}"

    def profile_fetch(self, *, code, state, code_verifier, redirect_uri, device_id=""):
        _tokens, access_token = self.code_exchange(
            self._client(self.oauth_url),
            "/token",
            code=code,
            code_verifier=code_verifier,
            form={"client_secret": self.client_secret},
        )
        info_client = self._client(self.login_url, secrets=[access_token])
        info = self._call(
            info_client, "GET", "/info", params={"format": "json"}, headers={"Authorization": f"OAuth {access_token}"}
        )
        email = email_clean(info.get("default_email"))
        default_phone = info.get("default_phone")
        phone = phone_clean(default_phone.get("number")) if isinstance(default_phone, dict) else ""
        first_name, last_name = _text(info.get("first_name"), 150), _text(info.get("last_name"), 150)
        avatar_id = _text(info.get("default_avatar_id"), 200)
        return ProviderProfile(
            uid=_uid(info.get("id")),
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


def rquid():
    """Идентификатор запроса для Сбер ID: 32 шестнадцатеричных символа (заголовки rquid, x-introspect-rquid)."""
    return uuid.uuid4().hex


class SberIdProvider(OAuthProvider):
    """Сбер ID: OpenID Connect, приложение с секретом, запросы к API — с клиентским сертификатом (mTLS).

    Данные пользователя берутся из userinfo, полученного напрямую у Сбера по mTLS, а не из
    id_token: подпись id_token не проверяем, поэтому и nonce в нём не сверяем (он лишь
    обязателен в запросе авторизации). Телефон Сбер ID — номер клиента банка, подтверждённый
    банком: считаем его подтверждённым; e-mail Сбер не подтверждает — неподтверждённый.
    """

    code = Provider.SBER
    name = "Сбер ID"
    requires_secret = True

    @property
    def api_url(self):
        return self.setting("API_URL").rstrip("/")

    def _cert(self):
        """Клиентский сертификат для requests: путь к PEM или пара (сертификат, ключ); None — не задан."""
        cert_file, key_file = self.setting("CERT_FILE", ""), self.setting("KEY_FILE", "")
        if not cert_file:
            return None
        return (cert_file, key_file) if key_file else cert_file

    def _tls(self):
        options = {"cert": self._cert()}
        if self.setting("CA_FILE", ""):
            # Цепочка Сбера (НУЦ Минцифры) может отсутствовать в системном хранилище.
            options["verify"] = self.setting("CA_FILE")
        return options

    def authorize_url(self, *, state, code_challenge, redirect_uri):
        params = {
            **self.authorize_params(state=state, code_challenge=code_challenge, redirect_uri=redirect_uri),
            "client_type": "PRIVATE",
            "nonce": secrets.token_urlsafe(16),
        }
        return f"{self.setting('AUTHORIZE_URL')}?{urlencode(params)}"

    def profile_fetch(self, *, code, state, code_verifier, redirect_uri, device_id=""):
        client = self._client(self.api_url)
        _tokens, access_token = self.code_exchange(
            client,
            "/tokens/v2/oidc",
            code=code,
            code_verifier=code_verifier,
            form={"client_secret": self.client_secret, "redirect_uri": redirect_uri},
            headers={"rquid": rquid(), "Accept": "application/json"},
            **self._tls(),
        )
        info = self._call(
            client,
            "GET",
            "/sberbankid/v2.1/userinfo",
            headers={
                "Authorization": f"Bearer {access_token}",
                "x-introspect-rquid": rquid(),
                "x-ibm-client-id": self.client_id,
                "Accept": "application/json",
            },
            **self._tls(),
        )
        email = email_clean(info.get("email"))
        phone = phone_clean(info.get("phone_number"))
        first_name, last_name = _text(info.get("given_name"), 150), _text(info.get("family_name"), 150)
        return ProviderProfile(
            uid=_uid(info.get("sub")),
            email=email,
            email_verified=False,
            phone=phone,
            phone_verified=bool(phone),
            first_name=first_name,
            last_name=last_name,
            display_name=f"{first_name} {last_name}".strip()[:300],
        )


OAUTH_PROVIDER_CLASSES = {cls.code: cls for cls in (VkIdProvider, YandexIdProvider, SberIdProvider)}


def oauth_provider_get(code, *, region=None):
    """Вернуть провайдера OAuth с ключами региона запроса, если он там включён. Raises: ProviderUnknown."""
    provider_class = OAUTH_PROVIDER_CLASSES.get(code)
    if provider_class is None:
        raise ProviderUnknown()
    provider = provider_class(provider_config_get(code, region))
    if not provider.enabled:
        if provider.config.enabled:
            logger.error("OAuth %s включён, но не хватает: %s", code, ", ".join(provider.missing()))
        raise ProviderUnknown()
    return provider


def telegram_config(*, region=None):
    """Настройки Telegram в регионе, если вход через него включён и бот задан; иначе None."""
    config = provider_config_get(Provider.TELEGRAM, region)
    if not config.enabled or ":" not in config.client_secret or not config.client_id:
        return None
    return config


def telegram_enabled(*, region=None):
    return telegram_config(region=region) is not None


def _telegram_button(config):
    return {
        "provider": "telegram",
        "name": "Telegram",
        "flow": "telegram_widget",
        # Имя бота — для data-telegram-login виджета, id бота (часть токена до «:», публичная) —
        # для Telegram.Login.auth({bot_id}) без виджета.
        "bot_username": config.client_id,
        "bot_id": config.client_secret.split(":", 1)[0],
    }


def providers_enabled_list(*, region=None):
    """Кнопки способов входа, включённых в регионе: OAuth-провайдеры и виджет Telegram."""
    configs = provider_configs_for_region(region)
    buttons = []
    for code, provider_class in OAUTH_PROVIDER_CLASSES.items():
        provider = provider_class(configs[code])
        if provider.enabled:
            buttons.append(provider.button())
    telegram = configs[Provider.TELEGRAM]
    if telegram.enabled and ":" in telegram.client_secret and telegram.client_id:
        buttons.append(_telegram_button(telegram))
    return buttons


def providers_settings_check():
    """Проверить настройки провайдеров, включённых окружением, при запуске. Raises: ImproperlyConfigured.

    Записи админки проверяет форма при сохранении (базы при запуске может ещё не быть).
    """
    problems = []
    for code, provider_class in OAUTH_PROVIDER_CLASSES.items():
        if getattr(settings, f"OAUTH_{code.upper()}_ENABLED", False):
            provider = provider_class(provider_config_env(code))
            problems += [f"OAUTH_{code.upper()}_{name}" for name in provider.missing()]
    if settings.OAUTH_SBER_ENABLED and not settings.OAUTH_SBER_CERT_FILE:
        problems.append("OAUTH_SBER_CERT_FILE (клиентский сертификат Сбер ID)")
    if settings.OAUTH_TELEGRAM_ENABLED:
        if ":" not in settings.OAUTH_TELEGRAM_BOT_TOKEN:
            problems.append("OAUTH_TELEGRAM_BOT_TOKEN (вида 123456:ABC...)")
        if not settings.OAUTH_TELEGRAM_BOT_USERNAME:
            problems.append("OAUTH_TELEGRAM_BOT_USERNAME")
    if problems:
        raise ImproperlyConfigured(
            "Вход через соцсети включён, но не заданы настройки: "
            + ", ".join(problems)
            + ". См. docs/sysadmin/oauth.md."
        )
