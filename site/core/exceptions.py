"""Исключения общего слоя API: размер и форма тела, NUL в данных, данные не по меркам базы.

Каждое — свой HTTP-статус, стабильный код (``default_code``) и русское сообщение.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError

REQUEST_TOO_LARGE = "request_too_large"
JSON_TOO_DEEP = "json_too_deep"
NULL_CHARACTER = "null_character"
INVALID_DATA = "invalid_data"
CSRF_FAILED = "csrf_failed"
TEMPORARILY_UNAVAILABLE = "temporarily_unavailable"


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = REQUEST_TOO_LARGE
    default_detail = _("Слишком большой запрос.")


class JsonTooDeep(ParseError):
    default_code = JSON_TOO_DEEP
    default_detail = _("Слишком глубокая вложенность JSON.")


class NullCharacter(ParseError):
    default_code = NULL_CHARACTER
    default_detail = _("Запрос содержит недопустимый символ NUL (\\u0000).")


class InvalidData(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = INVALID_DATA
    default_detail = _("Данные не подходят: слишком длинное значение или недопустимые символы.")


class TemporarilyUnavailable(APIException):
    """Хранилище лимитов и блокировок (Redis) недоступно — например, идёт переключение Sentinel.

    Лимиты не пропускают всех при сбое (иначе перебор кодов был бы бесплатным), а отвечают 503:
    клиент повторит запрос, когда Sentinel назначит новый primary (обычно секунды).
    """

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = TEMPORARILY_UNAVAILABLE
    default_detail = _("Сервис временно недоступен. Повторите через несколько секунд.")
