"""Чтения цен."""

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
