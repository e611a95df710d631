"""Демонстрационные платежи для `manage.py seed_demo`: провайдеры оплаты в каждом регионе."""

from commerce.payments.providers.registry import enabled_provider_codes
from commerce.payments.services import region_provider_enable

# Тестовый провайдер (онлайн) — первым: оплата «картой» в демо идёт через него.
DEMO_PROVIDERS = ("test", "cash_on_delivery")


def seed_payment_providers(*, stdout):
    """Включить провайдеров test и cash_on_delivery в каждом регионе (те, что включены в настройках)."""
    from regions.models import Region

    enabled = set(enabled_provider_codes())
    codes = [code for code in DEMO_PROVIDERS if code in enabled]
    changed = 0
    for region in Region.objects.order_by("sort_order", "code"):
        for sort_order, code in enumerate(codes):
            _row, row_changed = region_provider_enable(region=region, provider=code, sort_order=sort_order * 10)
            changed += row_changed
    if changed:
        stdout.write(f"Оплата: в регионах включено провайдеров — {changed} ({', '.join(codes)}).")
