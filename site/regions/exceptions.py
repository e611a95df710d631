"""Исключения регионов: подклассы APIException несут стабильный код в default_code."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException

from regions import error_codes


class RegionUnknown(APIException):
    """Сообщить, что запрошенный регион не существует или отключён."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = error_codes.REGION_UNKNOWN
    default_detail = _("Регион не найден или отключён.")

    def __init__(self, code_value=""):
        # Значение из запроса обрезается: в ответ не попадает произвольно длинная строка.
        shown = str(code_value)[:40]
        super().__init__(
            detail=_("Регион «%(code)s» не найден или отключён.") % {"code": shown},
            code=error_codes.REGION_UNKNOWN,
        )


class RegionNotConfigured(APIException):
    """Сообщить, что в магазине нет ни одного активного региона."""

    status_code = status.HTTP_404_NOT_FOUND
    default_code = error_codes.REGION_NOT_CONFIGURED
    default_detail = _("Регионы магазина ещё не настроены.")


class LocaleUnknown(APIException):
    """Сообщить, что запрошенный язык не поддерживается."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = error_codes.LOCALE_UNKNOWN

    def __init__(self, language=""):
        super().__init__(
            detail=_("Язык «%(language)s» не поддерживается.") % {"language": str(language)[:20]},
            code=error_codes.LOCALE_UNKNOWN,
        )
