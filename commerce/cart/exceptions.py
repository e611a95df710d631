"""Ошибки корзины: подклассы APIException, код — в default_code (см. core.errors)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException

from commerce.cart import error_codes
from commerce.inventory import services as inventory_services


class CartNotFound(APIException):
    status_code = 404
    default_code = error_codes.CART_NOT_FOUND
    default_detail = _("Корзина не найдена: получите новую, отправив запрос без X-Cart-Token.")


class CartLineNotFound(APIException):
    status_code = 404
    default_code = error_codes.CART_LINE_NOT_FOUND
    default_detail = _("Такого товара в корзине нет.")


class CartTooManyLines(APIException):
    status_code = 409
    default_code = error_codes.CART_TOO_MANY_LINES
    default_detail = _("В корзине слишком много разных товаров.")


class QuantityTooLarge(APIException):
    status_code = 400
    default_code = error_codes.QUANTITY_TOO_LARGE
    default_detail = _("Слишком большое количество одного товара.")


class VariantUnavailable(APIException):
    status_code = 409
    default_code = error_codes.VARIANT_UNAVAILABLE
    default_detail = _("Товар недоступен для заказа в вашем регионе.")


class CartStockInsufficient(inventory_services.StockInsufficient):
    """Столько товара нет в наличии: код и текст по умолчанию — у остатков (один на магазин)."""
