"""Записи цен: установить цену варианта в прайс-листе."""

from decimal import Decimal

from django.db import transaction

from commerce.pricing.models import VariantPrice


@transaction.atomic
def variant_price_set(*, variant, price_list, price, old_price=None):
    """Установить цену (и старую цену) варианта в прайс-листе; Decimal с двумя знаками.

    Raises:
        django.core.exceptions.ValidationError: цена отрицательна или старая цена не больше текущей.
    """
    row = VariantPrice.objects.filter(variant=variant, price_list=price_list).first() or VariantPrice(
        variant=variant, price_list=price_list
    )
    row.price = Decimal(price).quantize(Decimal("0.01"))
    row.old_price = None if old_price is None else Decimal(old_price).quantize(Decimal("0.01"))
    row.full_clean(exclude=["variant"])
    row.save()
    return row
