"""Ошибки оформления и заказов: подклассы APIException, код — в default_code (см. core.errors)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException

from commerce.inventory import services as inventory_services
from commerce.orders import error_codes


class CartEmpty(APIException):
    status_code = 409
    default_code = error_codes.CART_EMPTY
    default_detail = _("Корзина пуста.")


class CartHasProblems(APIException):
    status_code = 409
    default_code = error_codes.CART_HAS_PROBLEMS
    default_detail = _("В корзине есть недоступные товары: уберите их или измените количество.")


class StockInsufficient(inventory_services.StockInsufficient):
    """Не хватает остатка при оформлении: код и текст по умолчанию — у остатков (один на магазин)."""


class CheckoutConflict(APIException):
    status_code = 409
    default_code = error_codes.CHECKOUT_CONFLICT
    default_detail = _("Не удалось оформить заказ из-за одновременных изменений. Повторите попытку.")


class DeliveryMethodNotEnabled(APIException):
    """Способ доставки не включён в регионе (Wagtail admin → способы доставки регионов)."""

    status_code = 400
    default_code = error_codes.DELIVERY_METHOD_NOT_ENABLED
    default_detail = _("Этот способ доставки недоступен в вашем регионе. Выберите другой.")


class DeliveryCityNotServed(APIException):
    """Способ доставки включён в регионе, но его список городов не содержит город адреса."""

    status_code = 400
    default_code = error_codes.DELIVERY_CITY_NOT_SERVED
    default_detail = _("Этим способом не доставляем в ваш город. Выберите другой способ.")


class DeliveryAddressIncomplete(APIException):
    status_code = 400
    default_code = error_codes.DELIVERY_ADDRESS_INCOMPLETE
    default_detail = _("Укажите адрес доставки: город, улицу и дом.")


class PickupPointNotFound(APIException):
    status_code = 400
    default_code = error_codes.PICKUP_POINT_NOT_FOUND
    default_detail = _("Выберите пункт самовывоза вашего региона.")


class AddressNotFound(APIException):
    status_code = 400
    default_code = error_codes.ADDRESS_NOT_FOUND
    default_detail = _("Адрес не найден среди ваших адресов.")


class IdempotencyKeyReused(APIException):
    status_code = 422
    default_code = error_codes.IDEMPOTENCY_KEY_REUSED
    default_detail = _("Этот Idempotency-Key уже использован с другим запросом.")


class IdempotencyRequestInProgress(APIException):
    status_code = 409
    default_code = error_codes.IDEMPOTENCY_REQUEST_IN_PROGRESS
    default_detail = _("Запрос с этим Idempotency-Key ещё выполняется. Повторите позже.")


class IdempotencyKeyInvalid(APIException):
    status_code = 400
    default_code = error_codes.IDEMPOTENCY_KEY_INVALID
    default_detail = _("Idempotency-Key: от 8 до 255 печатных символов ASCII.")


class OrderTransitionNotAllowed(APIException):
    status_code = 409
    default_code = error_codes.ORDER_TRANSITION_NOT_ALLOWED
    default_detail = _("Такой переход статуса заказа не разрешён.")


class OrderNotCancellable(APIException):
    status_code = 409
    default_code = error_codes.ORDER_NOT_CANCELLABLE
    default_detail = _("Этот заказ уже нельзя отменить самостоятельно: свяжитесь с магазином.")


class OrderTotalChanged(APIException):
    """Итог на сервере не совпал с тем, что видел покупатель (цены или регион изменились)."""

    status_code = 409
    default_code = error_codes.ORDER_TOTAL_CHANGED
    default_detail = _("Цены изменились. Проверьте корзину: новый итог отличается от показанного.")


class PaymentMethodNotEnabled(APIException):
    """Способ оплаты не включён в регионе корзины (нет подходящего провайдера)."""

    status_code = 400
    default_code = error_codes.PAYMENT_METHOD_NOT_ENABLED
    default_detail = _("Этот способ оплаты недоступен в вашем регионе. Выберите другой.")


class PhoneNotConfirmed(APIException):
    """Оплата при получении требует телефон, подтверждённый кодом из SMS (ORDERS_COD_REQUIRE_CONFIRMED_PHONE)."""

    status_code = 403
    default_code = error_codes.PHONE_NOT_CONFIRMED
    default_detail = _(
        "Для оплаты при получении подтвердите телефон: войдите по коду из SMS на номер, указанный в заказе."
    )


class OrderLinesNotEditable(APIException):
    """Строки заказа уже не меняются: заказ отгружен, выполнен, отменён или возвращён."""

    status_code = 409
    default_code = error_codes.ORDER_LINES_NOT_EDITABLE
    default_detail = _("Состав этого заказа уже нельзя изменить: он отгружен, закрыт или отменён.")


class OrderLineInvalid(APIException):
    """Строка правки неверна: количество не положительно, цена отрицательна, у нового товара нет цены."""

    status_code = 400
    default_code = error_codes.ORDER_LINE_INVALID
    default_detail = _("Неверная строка заказа.")
