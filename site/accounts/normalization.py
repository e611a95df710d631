"""Нормализация телефонов и e-mail перед поиском и хранением.

Один и тот же человек пишет номер как «8 (916) 123-45-67», «+7 916 1234567» или
«79161234567» — все варианты должны находить один аккаунт.
"""

import phonenumbers
from django.conf import settings

from accounts.models import normalize_email

__all__ = ["InvalidPhone", "login_identifier_parse", "normalize_email", "phone_normalize"]

SMS_CAPABLE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


class InvalidPhone(ValueError):
    """Номер не распознан, недействителен или не принимает SMS."""


def phone_normalize(value, *, require_mobile=True):
    """Привести номер к E.164 (``+79161234567``).

    Российские «8…» и «7…» без плюса понимаются как +7 (регион по умолчанию —
    PHONENUMBER_DEFAULT_REGION). Raises: InvalidPhone.
    """
    raw = (value or "").strip()
    if not raw:
        raise InvalidPhone("empty")
    try:
        number = phonenumbers.parse(raw, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone(str(error)) from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("invalid")
    if require_mobile and phonenumbers.number_type(number) not in SMS_CAPABLE_TYPES:
        raise InvalidPhone("not mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def login_identifier_parse(value):
    """Понять, что ввёл пользователь в поле «e-mail или телефон».

    Returns:
        пару (``"email"``, адрес в нижнем регистре) или (``"phone"``, номер в E.164).
    Raises:
        InvalidPhone: ввод не похож на e-mail и не является номером телефона.
    """
    raw = (value or "").strip()
    if "@" in raw:
        return "email", normalize_email(raw)
    return "phone", phone_normalize(raw, require_mobile=False)
