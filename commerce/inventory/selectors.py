"""Чтения остатков."""

from django.db.models import F, Sum

from commerce.inventory.models import Stock, Warehouse


def variant_available_in_region(*, variant_id, region_id):
    """Вернуть доступное количество варианта на активных складах региона."""
    total = Stock.objects.filter(
        variant_id=variant_id, warehouse__region_id=region_id, warehouse__is_active=True
    ).aggregate(total=Sum(F("quantity") - F("reserved")))["total"]
    return max(total or 0, 0)


def variants_available_in_region(*, variant_ids, region_id):
    """Вернуть {id варианта: доступно} на активных складах региона одним запросом (нет строк — 0)."""
    rows = (
        Stock.objects.filter(variant_id__in=set(variant_ids), warehouse__region_id=region_id, warehouse__is_active=True)
        .values("variant_id")
        .annotate(total=Sum(F("quantity") - F("reserved")))
    )
    available = dict.fromkeys(variant_ids, 0)
    for row in rows:
        available[row["variant_id"]] = max(row["total"] or 0, 0)
    return available


def pickup_point_in_region(*, warehouse_id, region_id):
    """Вернуть активный склад региона — пункт самовывоза — по id или None (чужой регион, выключен, нет такого)."""
    return Warehouse.objects.filter(pk=warehouse_id, region_id=region_id, is_active=True).first()
