"""Ошибки промокодов и лимитов акций: подклассы APIException, код — в default_code (см. core.errors).

Ошибка промокода при применении отвечает 400 (код не подошёл), а та же проверка при
оформлении заказа — 409 (корзина с кодом стала неприменимой): класс один, статус выбирает
вызывающий через ``at_checkout``.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException

from commerce.promotions import error_codes


class PromoCodeError(APIException):
    """Промокод не применим: код ошибки и текст — у подкласса."""

    status_code = 400

    def __init__(self, detail=None, *, at_checkout=False):
        super().__init__(detail)
        if at_checkout:
            self.status_code = 409


class PromoCodeUnknown(PromoCodeError):
    default_code = error_codes.PROMO_CODE_UNKNOWN
    default_detail = _("Такого промокода нет. Проверьте, нет ли опечатки.")


class PromoCodeNotStarted(PromoCodeError):
    default_code = error_codes.PROMO_CODE_NOT_STARTED
    default_detail = _("Промокод ещё не действует.")


class PromoCodeExpired(PromoCodeError):
    default_code = error_codes.PROMO_CODE_EXPIRED
    default_detail = _("Срок действия промокода истёк.")


class PromoCodeLimitReached(PromoCodeError):
    default_code = error_codes.PROMO_CODE_LIMIT_REACHED
    default_detail = _("Промокод уже использован максимальное число раз.")


class PromoCodeWrongRegion(PromoCodeError):
    default_code = error_codes.PROMO_CODE_WRONG_REGION
    default_detail = _("Промокод не действует в вашем регионе.")


class PromoCodeMinTotal(PromoCodeError):
    default_code = error_codes.PROMO_CODE_MIN_TOTAL
    default_detail = _("Сумма заказа меньше минимальной для промокода.")


class PromoCodeFirstOrderOnly(PromoCodeError):
    default_code = error_codes.PROMO_CODE_FIRST_ORDER_ONLY
    default_detail = _("Промокод действует только на первый заказ.")


class PromoCodeNotApplicable(PromoCodeError):
    default_code = error_codes.PROMO_CODE_NOT_APPLICABLE
    default_detail = _("Промокод не действует на товары в корзине.")


class PromotionLimitReached(APIException):
    """Автоматическая акция исчерпала лимит, пока покупатель оформлял заказ (409)."""

    status_code = 409
    default_code = error_codes.PROMOTION_LIMIT_REACHED
    default_detail = _("Акция закончилась: лимит применений исчерпан. Проверьте корзину и подтвердите заказ.")
