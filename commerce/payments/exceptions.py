"""Исключения API платежей: каждое — свой HTTP-статус, стабильный код и русское сообщение.

Текст внутренних ошибок (ответ провайдера, трассировка) в ответ API не попадает никогда:
он остаётся в журнале событий платежа и в логах.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, Throttled

from commerce.payments import error_codes


class OrderNotPayable(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = error_codes.ORDER_NOT_PAYABLE
    default_detail = _("Этот заказ сейчас нельзя оплатить: он уже оплачен, отменён или оплачивается при получении.")


class PaymentInProgress(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = error_codes.PAYMENT_IN_PROGRESS
    default_detail = _("По заказу уже идёт оплата другим способом. Завершите или отмените её.")


class ProviderNotEnabled(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = error_codes.PROVIDER_NOT_ENABLED
    default_detail = _("Этот способ оплаты недоступен в вашем регионе.")


class ProviderUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = error_codes.PROVIDER_UNAVAILABLE
    default_detail = _("Платёжный сервис временно недоступен. Повторите попытку через минуту.")


class ProviderRejected(APIException):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = error_codes.PROVIDER_REJECTED
    default_detail = _("Платёжный сервис отклонил операцию. Мы уже разбираемся.")


class PaymentNotFound(APIException):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = error_codes.PAYMENT_NOT_FOUND
    default_detail = _("Платёж не найден.")


class PaymentNotCapturable(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = error_codes.PAYMENT_NOT_CAPTURABLE
    default_detail = _("Платёж не ожидает подтверждения.")


class PaymentNotCancellable(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = error_codes.PAYMENT_NOT_CANCELLABLE
    default_detail = _("Завершённый платёж отменить нельзя; оформите возврат.")


class RefundNotAllowed(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = error_codes.REFUND_NOT_ALLOWED
    default_detail = _("По этому платежу нечего возвращать.")


class RefundAmountInvalid(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = error_codes.REFUND_AMOUNT_INVALID
    default_detail = _("Сумма возврата должна быть больше нуля и не больше оплаченного остатка.")


class WebhookForbidden(APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = error_codes.WEBHOOK_FORBIDDEN
    default_detail = _("Уведомление пришло не от платёжного сервиса.")


class WebhookInvalid(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = error_codes.WEBHOOK_INVALID
    default_detail = _("Уведомление не удалось разобрать.")


class WebhookUnknownObject(APIException):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = error_codes.WEBHOOK_UNKNOWN_OBJECT
    default_detail = _("Уведомление о неизвестном платеже.")


class WebhookThrottled(Throttled):
    default_code = error_codes.WEBHOOK_THROTTLED
    default_detail = _("Слишком много отклонённых уведомлений с этого адреса. Повторите позже.")
