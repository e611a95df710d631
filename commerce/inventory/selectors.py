"""Чтения остатков."""

from django.db.models import F, Sum

from commerce.inventory.models import Stock


def variant_available_in_region(*, variant_id, region_id):
    """Вернуть доступное количество варианта на активных складах региона."""
    total = Stock.objects.filter(
        variant_id=variant_id, warehouse__region_id=region_id, warehouse__is_active=True
    ).aggregate(total=Sum(F("quantity") - F("reserved")))["total"]
    return max(total or 0, 0)
