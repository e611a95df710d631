"""Исключения аккаунтов: каждое — ответ API с кодом из error_codes и русским текстом.

Сервисы поднимают их напрямую: обработчик ошибок API (core.errors) переводит любой
APIException в единый формат, беря стабильный код из ``default_code``.
"""

import math

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status

from accounts import error_codes


class AccountsError(exceptions.APIException):
    """Ошибка запроса к аккаунтам (400)."""

    status_code = status.HTTP_400_BAD_REQUEST


class CodeInvalid(AccountsError):
    default_code = error_codes.CODE_INVALID
    default_detail = _("Код неверный или устарел. Проверьте код или запросите новый.")


class CodeAttemptsExceeded(AccountsError):
    default_code = error_codes.CODE_ATTEMPTS_EXCEEDED
    default_detail = _("Слишком много неверных попыток. Запросите новый код.")


class InvalidCredentials(AccountsError):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = error_codes.INVALID_CREDENTIALS
    default_detail = _("Неверный логин или пароль.")


class EmailNotVerified(AccountsError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = error_codes.EMAIL_NOT_VERIFIED
    default_detail = _("E-mail не подтверждён. Введите код из письма или восстановите пароль.")


class AccountDisabled(AccountsError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = error_codes.ACCOUNT_DISABLED
    default_detail = _("Аккаунт заблокирован. Обратитесь в поддержку.")


class TokenInvalid(AccountsError):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = error_codes.TOKEN_INVALID
    default_detail = _("Токен недействителен или отозван.")


class EmailTaken(AccountsError):
    status_code = status.HTTP_409_CONFLICT
    default_code = error_codes.EMAIL_TAKEN
    default_detail = _("Этот e-mail уже привязан к другому аккаунту.")


class PhoneTaken(AccountsError):
    status_code = status.HTTP_409_CONFLICT
    default_code = error_codes.PHONE_TAKEN
    default_detail = _("Этот телефон уже привязан к другому аккаунту.")


class WrongPassword(AccountsError):
    default_code = error_codes.WRONG_PASSWORD
    default_detail = _("Неверный текущий пароль.")


class AccountDeleteCodeRequired(AccountsError):
    default_code = error_codes.ACCOUNT_DELETE_CODE_REQUIRED
    default_detail = _("У аккаунта нет пароля: запросите код удаления и передайте его в поле code.")


class AccountDeleteNoContact(AccountsError):
    default_code = error_codes.ACCOUNT_DELETE_NO_CONTACT
    default_detail = _(
        "Удаление нельзя подтвердить: у аккаунта нет пароля, телефона и подтверждённого e-mail. "
        "Задайте пароль или добавьте телефон."
    )


class AccountDeleteLoginRequired(AccountsError):
    default_code = error_codes.ACCOUNT_DELETE_LOGIN_REQUIRED
    default_detail = _("Войдите заново и сразу повторите удаление: у аккаунта нет пароля, телефона и e-mail.")


class SmsDeliveryFailed(exceptions.APIException):
    """SMS-шлюз не принял сообщение: сервис временно недоступен (503), но не 500."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = error_codes.SMS_DELIVERY_FAILED
    default_detail = _("Не удалось отправить SMS. Попробуйте ещё раз через несколько минут.")


class EmailDeliveryFailed(exceptions.APIException):
    """Почтовый сервер не принял письмо: сервис временно недоступен (503), но не 500."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = error_codes.EMAIL_DELIVERY_FAILED
    default_detail = _("Не удалось отправить письмо. Попробуйте ещё раз через несколько минут.")


class AccountsThrottled(exceptions.Throttled):
    """Превышен лимит (429) с русским текстом и полем retry_after в ответе."""

    def __init__(self, wait):
        wait = max(1, math.ceil(wait))
        seconds = ngettext("Повторите через %(wait)d секунду.", "Повторите через %(wait)d секунд.", wait) % {
            "wait": wait
        }
        # Родительский конструктор дописал бы английский хвост: собираем текст сами.
        super().__init__(wait=None, detail=f"{self.default_detail} {seconds}")
        self.wait = wait


class CodeResendTooSoon(AccountsThrottled):
    default_code = error_codes.CODE_RESEND_TOO_SOON
    default_detail = _("Код уже отправлен.")


class CodeRequestLimit(AccountsThrottled):
    default_code = error_codes.CODE_REQUEST_LIMIT
    default_detail = _("Слишком много запросов кода.")


class LoginThrottled(AccountsThrottled):
    default_code = error_codes.LOGIN_THROTTLED
    default_detail = _("Слишком много неудачных попыток входа.")
