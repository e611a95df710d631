"""Чтения цен."""

from django.db.models import Q

from commerce.pricing.models import VariantPrice


def variant_price_for_region(*, variant_id, region_id):
    """Вернуть цену варианта в регионе (региональная, иначе базовая) или None."""
    rows = {
        row.price_list.region_id: row
        for row in VariantPrice.objects.filter(variant_id=variant_id, price_list__is_active=True)
        .filter(price_list__region_id=region_id)
        .select_related("price_list")
        .union(
            VariantPrice.objects.filter(
                variant_id=variant_id, price_list__is_active=True, price_list__region__isnull=True
            ).select_related("price_list")
        )
    }
    return rows.get(region_id) or rows.get(None)


def variant_prices_for_region_bulk(*, variant_ids, region_id):
    """Вернуть {id варианта: VariantPrice} для региона одним запросом (региональная цена важнее базовой).

    Варианта без цены в словаре нет. У строки загружен price_list (валюта — ``price_list.currency``).
    """
    rows = (
        VariantPrice.objects.filter(variant_id__in=set(variant_ids), price_list__is_active=True)
        .filter(Q(price_list__region_id=region_id) | Q(price_list__region__isnull=True))
        .select_related("price_list")
    )
    prices = {}
    for row in rows:
        current = prices.get(row.variant_id)
        if current is None or (current.price_list.region_id is None and row.price_list.region_id is not None):
            prices[row.variant_id] = row
    return prices
