"""Списки товаров и вариантов в админке: цена базового прайс-листа, остаток, число вариантов, фильтры.

Цифры считаются подзапросами в одном запросе списка (без умножения строк соединениями),
так что страница списка — постоянное число запросов при любом размере.
"""

import django_filters
from django.db.models import Count, DecimalField, IntegerField, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import BooleanRadioSelect

from commerce.catalog.models import Brand, Category, Product, Variant
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice


def category_label(category):
    """Подпись категории с отступом по глубине дерева: «— — Смартфоны»."""
    return f"{'— ' * (category.depth - 1)}{category.name}"


def _available_sum(**lookup):
    rows = (
        Stock.objects.filter(warehouse__is_active=True, **lookup)
        .order_by()
        .values(*lookup)
        .annotate(total=Sum("quantity") - Sum("reserved"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _base_price(**lookup):
    rows = (
        VariantPrice.objects.filter(price_list__region__isnull=True, **lookup)
        .order_by()
        .values(*lookup)
        .annotate(low=Min("price"))
        .values("low")
    )
    return Subquery(rows, output_field=DecimalField(max_digits=12, decimal_places=2))


def products_for_admin_list():
    """Вернуть товары для списка админки с base_price (от), stock_available и variant_count."""
    return Product.objects.select_related("brand", "main_category").annotate(
        variant_count=Count("variants", distinct=True),
        stock_available=_available_sum(variant__product=OuterRef("pk")),
        base_price=_base_price(variant__product=OuterRef("pk")),
    )


def variants_for_admin_list():
    """Вернуть варианты для списка админки с base_price и stock_available."""
    return Variant.objects.select_related("product").annotate(
        stock_available=_available_sum(variant=OuterRef("pk")),
        base_price=_base_price(variant=OuterRef("pk")),
    )


class InStockFilterMixin(django_filters.FilterSet):
    in_stock = django_filters.BooleanFilter(label=_("в наличии"), method="filter_in_stock", widget=BooleanRadioSelect)

    def filter_in_stock(self, queryset, name, value):
        return queryset.filter(stock_available__gt=0) if value else queryset.filter(stock_available__lte=0)


class CategoryChoiceFilter(django_filters.ModelChoiceFilter):
    """Фильтр по категории с подкатегориями: основная или дополнительная категория товара."""

    def __init__(self, *, prefix="", **kwargs):
        self.prefix = prefix
        super().__init__(queryset=Category.objects.order_by("path"), label=_("категория"), **kwargs)

    @property
    def field(self):
        field = super().field
        field.label_from_instance = category_label
        return field

    def filter(self, queryset, value):
        if not value:
            return queryset
        subtree = Category.objects.filter(path__startswith=value.path)
        return queryset.filter(
            Q(**{f"{self.prefix}main_category__in": subtree}) | Q(**{f"{self.prefix}extra_categories__in": subtree})
        ).distinct()


class ProductFilterSet(InStockFilterMixin, WagtailFilterSet):
    category = CategoryChoiceFilter()
    brand = django_filters.ModelChoiceFilter(queryset=Brand.objects.order_by("name"), label=_("бренд"))
    is_active = django_filters.BooleanFilter(label=_("активен"), widget=BooleanRadioSelect)

    class Meta:
        model = Product
        fields = []


class VariantFilterSet(InStockFilterMixin, WagtailFilterSet):
    category = CategoryChoiceFilter(prefix="product__")
    brand = django_filters.ModelChoiceFilter(
        field_name="product__brand", queryset=Brand.objects.order_by("name"), label=_("бренд")
    )
    is_active = django_filters.BooleanFilter(label=_("активен"), widget=BooleanRadioSelect)

    class Meta:
        model = Variant
        fields = []
