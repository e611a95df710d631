"""Исключения входа через соцсети: каждое — ответ API с кодом из error_codes и русским текстом."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

from accounts.exceptions import AccountsError, AccountsThrottled
from accounts.oauth import error_codes


class ProviderUnknown(AccountsError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = error_codes.PROVIDER_UNKNOWN
    default_detail = _("Такой способ входа не подключён.")


class RedirectUriNotAllowed(AccountsError):
    default_code = error_codes.REDIRECT_URI_NOT_ALLOWED
    default_detail = _("Адрес возврата не входит в список разрешённых для входа через соцсети.")


class StateInvalid(AccountsError):
    default_code = error_codes.STATE_INVALID
    default_detail = _("Сеанс входа устарел или уже использован. Начните вход заново.")


class CodeInvalid(AccountsError):
    default_code = error_codes.CODE_INVALID
    default_detail = _("Провайдер не подтвердил вход. Начните вход заново.")


class PayloadInvalid(AccountsError):
    default_code = error_codes.PAYLOAD_INVALID
    default_detail = _("Ответ VK ID не разобрать: нужны code, state и device_id.")


class ProviderUnavailable(exceptions.APIException):
    """Провайдер недоступен или ответил не по протоколу: 502, ничего не создано."""

    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = error_codes.PROVIDER_UNAVAILABLE
    default_detail = _("Сервис входа временно недоступен. Попробуйте ещё раз или войдите другим способом.")


class OAuthThrottled(AccountsThrottled):
    default_code = error_codes.THROTTLED
    default_detail = _("Слишком много попыток входа через соцсети.")


class TelegramAuthInvalid(AccountsError):
    default_code = error_codes.TELEGRAM_AUTH_INVALID
    default_detail = _("Данные Telegram не прошли проверку подписи.")


class TelegramAuthExpired(AccountsError):
    default_code = error_codes.TELEGRAM_AUTH_EXPIRED
    default_detail = _("Данные Telegram устарели. Нажмите кнопку входа ещё раз.")


class SocialAccountTaken(AccountsError):
    status_code = status.HTTP_409_CONFLICT
    default_code = error_codes.SOCIAL_ACCOUNT_TAKEN
    default_detail = _("Этот аккаунт соцсети уже привязан к другому пользователю.")


class SocialAccountProviderLinked(AccountsError):
    status_code = status.HTTP_409_CONFLICT
    default_code = error_codes.SOCIAL_ACCOUNT_PROVIDER_LINKED
    default_detail = _("К вашему аккаунту уже привязан аккаунт этого провайдера. Сначала отвяжите его.")


class SocialAccountLastLogin(AccountsError):
    status_code = status.HTTP_409_CONFLICT
    default_code = error_codes.SOCIAL_ACCOUNT_LAST_LOGIN
    default_detail = _(
        "Это последний способ входа в аккаунт. "
        "Сначала задайте пароль, подтвердите телефон или привяжите другую соцсеть."
    )
