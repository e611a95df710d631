"""Записи цен: установить цену варианта в прайс-листе."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

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


def variant_prices_bulk_set(*, rows):
    """Установить цены пачкой: [(id варианта, id прайс-листа, Decimal)] одной командой upsert.

    Старая цена, которая стала бы не больше новой, очищается (иначе нарушится правило модели).
    Сигналы не шлются: предложения пересчитывает вызывающий.

    Raises:
        django.core.exceptions.ValidationError: цена отрицательна.
    """
    if not rows:
        return
    prices = {}
    for variant_id, price_list_id, price in rows:
        price = Decimal(price).quantize(Decimal("0.01"))
        if price < 0:
            raise ValidationError(_("Цена не может быть отрицательной."))
        prices[(variant_id, price_list_id)] = price
    old_prices = {
        (row["variant_id"], row["price_list_id"]): row["old_price"]
        for row in VariantPrice.objects.filter(
            variant_id__in={key[0] for key in prices}, old_price__isnull=False
        ).values("variant_id", "price_list_id", "old_price")
    }
    objects = []
    for (variant_id, price_list_id), price in prices.items():
        old_price = old_prices.get((variant_id, price_list_id))
        objects.append(
            VariantPrice(
                variant_id=variant_id,
                price_list_id=price_list_id,
                price=price,
                old_price=old_price if old_price is not None and old_price > price else None,
            )
        )
    VariantPrice.objects.bulk_create(
        objects, update_conflicts=True, unique_fields=["variant", "price_list"], update_fields=["price", "old_price"]
    )
