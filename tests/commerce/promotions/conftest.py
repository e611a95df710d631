"""Фикстуры акций: маленький магазин (tests/commerce/fixtures.py) и создание акций в одну строку."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commerce.promotions.models import PromoCode, Promotion, PromotionEffect, PromotionKind
from tests.commerce.fixtures import _eager_tasks, shop, sms_outbox  # noqa: F401 — регистрация фикстур


def promotion_create(*, kind=PromotionKind.CODE, value="10", code=None, regions=(), products=(), **fields):
    """Создать акцию (по умолчанию — промокод на 10 % без срока) и, если задан, её код."""
    fields.setdefault("starts_at", timezone.now() - timedelta(days=1))
    fields.setdefault("name", f"Акция {kind} {value}")
    promotion = Promotion.objects.create(kind=kind, discount_value=Decimal(value), **fields)
    if regions:
        promotion.regions.set(regions)
    if products:
        promotion.products.set(products)
    if regions or products:
        promotion.save()
    if code is not None:
        promotion.code = PromoCode.objects.create(promotion=promotion, code=code)
    return promotion


@pytest.fixture
def make_promotion(db):
    return promotion_create


__all__ = ["PromotionEffect", "PromotionKind"]
