"""Каталог в Django admin: товары с вариантами, варианты с ценами и остатками строками."""

from django.contrib import admin
from treebeard.forms import movenodeform_factory

from commerce.catalog.models import Attribute, AttributeChoice, Brand, Category, Product, Variant
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Категории в порядке дерева; форма treebeard даёт выбрать родителя и позицию.

    Не TreeAdmin: его шаблоны требуют "treebeard" в INSTALLED_APPS, а дерево с
    перетаскиванием есть в Wagtail admin.
    """

    form = movenodeform_factory(Category, exclude=["attributes"])
    list_display = ["name", "slug", "depth", "is_active"]
    ordering = ["path"]
    search_fields = ["name", "slug"]


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    search_fields = ["name", "slug"]


class AttributeChoiceInline(admin.TabularInline):
    model = AttributeChoice
    extra = 0


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "type", "unit", "is_filterable"]
    list_filter = ["type"]
    search_fields = ["name", "code"]
    inlines = [AttributeChoiceInline]


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ["sku", "barcode", "name", "is_active", "sort_order"]
    show_change_link = True


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "brand", "main_category", "is_active", "updated_at"]
    list_filter = ["is_active", "brand"]
    list_select_related = ["brand", "main_category"]
    search_fields = ["name", "slug", "variants__sku"]
    autocomplete_fields = ["brand"]
    raw_id_fields = ["main_category"]
    filter_horizontal = ["extra_categories"]
    inlines = [VariantInline]


class VariantPriceInline(admin.TabularInline):
    model = VariantPrice
    extra = 0


class StockInline(admin.TabularInline):
    """Остатки варианта; резерв только виден — его ведёт оформление заказа, а не менеджер."""

    model = Stock
    extra = 0
    readonly_fields = ["reserved"]


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "product", "barcode", "is_active"]
    list_select_related = ["product"]
    search_fields = ["sku", "barcode", "product__name"]
    raw_id_fields = ["product"]
    inlines = [VariantPriceInline, StockInline]
