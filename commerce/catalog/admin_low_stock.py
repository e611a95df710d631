"""Панель «Мало на складе» на главной админки: активные варианты с доступным остатком не выше порога.

Живёт в каталоге, а не в складах: она перечисляет варианты (и те, у которых строк остатков нет),
а каталог уже зависит от складов — обратный импорт дал бы цикл catalog ↔ inventory.
"""

from django.conf import settings
from django.db.models import F, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from commerce.catalog.models import Variant
from staff.dashboard import DashboardPanel, dashboard_panel_register

ROWS_SHOWN = 10


def low_stock_variants(*, threshold, limit=ROWS_SHOWN):
    """Вернуть (число, первые limit) активных вариантов активных товаров, где доступно ≤ threshold.

    Доступно — сумма «на складе − в резерве» по активным складам; вариант без строк остатков
    считается с нулём. Сначала самые пустые.
    """
    available = Coalesce(
        Sum(F("stocks__quantity") - F("stocks__reserved"), filter=Q(stocks__warehouse__is_active=True)),
        Value(0),
        output_field=IntegerField(),
    )
    variants = (
        Variant.objects.filter(is_active=True, product__is_active=True)
        .annotate(available=available)
        .filter(available__lte=threshold)
    )
    rows = list(variants.select_related("product").order_by("available", "sku")[:limit])
    return variants.count(), rows


@dashboard_panel_register
class LowStockPanel(DashboardPanel):
    """Что скоро кончится: видна тем, кто видит остатки."""

    name = "shop_low_stock"
    order = 30
    permissions = ("inventory.view_stock",)
    template_name = "inventory/admin/dashboard_panel.html"
    title = _("Мало на складе")

    def get_context_data(self, parent_context):
        threshold = settings.COMMERCE_LOW_STOCK_THRESHOLD
        total, rows = low_stock_variants(threshold=threshold)
        return {"threshold": threshold, "total": total, "rows": rows}
