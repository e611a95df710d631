"""Варианты в форме товара: компактная таблица цен по прайс-листам и остатков по складам.

Только для чтения — цены и остатки правятся в форме варианта (там и права на них, и резерв
только виден); здесь менеджер видит всё сразу и по ссылке добавляет вариант к этому товару.
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from commerce.catalog.models import Variant
from commerce.inventory.models import Stock, Warehouse
from commerce.pricing.models import PriceList, VariantPrice


def product_variants_overview(*, product):
    """Собрать таблицу вариантов товара: столбцы прайс-листов и складов, строки вариантов.

    Четыре запроса на любой размер товара. Склады — активные и те, где у вариантов есть строки;
    прайс-листы — все активные (базовый первым).

    Returns:
        {"price_lists": [...], "warehouses": [...], "rows": [{"variant", "prices", "stocks",
        "available"}]}, где prices — цены по порядку price_lists (или None), stocks — строки
        Stock по порядку warehouses (или None).
    """
    variants = list(
        Variant.objects.filter(product=product)
        .order_by("sort_order", "id")
        .prefetch_related(
            Prefetch("prices", queryset=VariantPrice.objects.all()),
            Prefetch("stocks", queryset=Stock.objects.all()),
        )
    )
    used_warehouses = {stock.warehouse_id for variant in variants for stock in variant.stocks.all()}
    price_lists = sorted(PriceList.objects.filter(is_active=True), key=lambda item: (not item.is_base, item.code))
    warehouses = [
        warehouse
        for warehouse in Warehouse.objects.select_related("region").order_by("region__sort_order", "sort_order")
        if warehouse.is_active or warehouse.pk in used_warehouses
    ]
    rows = []
    for variant in variants:
        prices = {price.price_list_id: price for price in variant.prices.all()}
        stocks = {stock.warehouse_id: stock for stock in variant.stocks.all()}
        rows.append(
            {
                "variant": variant,
                "prices": [prices.get(price_list.pk) for price_list in price_lists],
                "stocks": [stocks.get(warehouse.pk) for warehouse in warehouses],
                "available": sum(stock.available for stock in stocks.values()),
            }
        )
    return {"price_lists": price_lists, "warehouses": warehouses, "rows": rows}


class ProductVariantsPanel(Panel):
    """Панель формы товара: таблица вариантов с ценами и остатками и кнопка «Добавить вариант»."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "catalog/admin/product_variants_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            product = self.instance
            user = self.request.user
            context["saved"] = product.pk is not None
            if product.pk is not None:
                context.update(product_variants_overview(product=product))
                if user.has_perm("catalog.add_variant"):
                    context["add_url"] = reverse("wagtailsnippets_catalog_variant:add") + f"?product={product.pk}"
            context["can_edit"] = user.has_perm("catalog.change_variant")
            context["heading_text"] = _("Варианты, цены и остатки")
            return context
