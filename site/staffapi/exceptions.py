"""Ошибки API сотрудников: подклассы APIException, код — в default_code (см. core.errors)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException

from staffapi import error_codes


class PreconditionFailed(APIException):
    """If-Match не совпал с текущим ETag: объект успел изменить кто-то другой."""

    status_code = 412
    default_code = error_codes.PRECONDITION_FAILED
    default_detail = _("Заказ уже изменил другой сотрудник. Обновите карточку и повторите.")


class PreconditionRequired(APIException):
    """Изменение без If-Match: без него нельзя понять, что сотрудник видел последнюю версию."""

    status_code = 428
    default_code = error_codes.PRECONDITION_REQUIRED
    default_detail = _("Нужен заголовок If-Match со значением ETag из карточки заказа.")


class RegionNotAllowed(APIException):
    """Сотрудник ограничен регионами, а запрос касается другого."""

    status_code = 403
    default_code = error_codes.REGION_NOT_ALLOWED
    default_detail = _("Этот регион вам недоступен.")


class ApiKeyGroupNotAllowed(APIException):
    """Ключ API можно выпустить только с группой, в которой состоит сам владелец."""

    status_code = 400
    default_code = error_codes.API_KEY_GROUP_NOT_ALLOWED
    default_detail = _("Выберите группу, в которой вы состоите.")
