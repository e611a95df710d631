"""Демонстрационные способы оплаты для `manage.py seed_demo`: провайдеры в каждом регионе."""

from commerce.payments.models import RegionPaymentProvider
from commerce.payments.providers.registry import enabled_provider_codes
from regions.models import Region

# Тестовый онлайн-провайдер (если включён настройкой) и оплата при получении.
DEMO_PROVIDERS = ("test", "cash_on_delivery")


def seed_payment_providers(*, stdout):
    """Включить в каждом активном регионе тестовую онлайн-оплату и оплату при получении.

    Оформление принимает только способы, включённые в регионе: без этого демо-магазин
    не принял бы ни одного заказа. Уже заведённые строки (в том числе выключенные
    в админке) не меняются.
    """
    enabled = set(enabled_provider_codes())
    for region in Region.objects.filter(is_active=True).order_by("sort_order", "code"):
        for sort_order, code in enumerate(DEMO_PROVIDERS):
            if code not in enabled:
                continue
            _row, created = RegionPaymentProvider.objects.get_or_create(
                region=region, provider=code, defaults={"sort_order": sort_order}
            )
            if created:
                stdout.write(f"Регион «{region.name}»: включён способ оплаты {code}.")
