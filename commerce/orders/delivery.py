"""Стоимость доставки по способам: правила — в настройке ORDERS_DELIVERY_RULES."""

from decimal import Decimal

from django.conf import settings

ZERO = Decimal("0.00")


def delivery_cost_calculate(*, method, subtotal):
    """Посчитать стоимость доставки способом method для суммы товаров subtotal.

    Правило способа: ``cost`` — цена доставки, ``free_from`` (необязательно) — сумма товаров,
    начиная с которой доставка бесплатна.
    """
    rule = settings.ORDERS_DELIVERY_RULES.get(method, {})
    cost = Decimal(str(rule.get("cost", "0")))
    free_from = rule.get("free_from")
    if free_from not in (None, "") and subtotal >= Decimal(str(free_from)):
        return ZERO
    return cost.quantize(ZERO)
