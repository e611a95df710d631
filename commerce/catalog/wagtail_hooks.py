"""Каталог в Wagtail admin: сниппеты с поиском, фильтрами и массовыми действиями.

Варианты — отдельный раздел: у варианта в форме прямо строками правятся цены по
прайс-листам и остатки по складам (ParentalKey в pricing и inventory).
"""

from django.db import connection
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from commerce.catalog import (
    admin_lists,
    admin_low_stock,  # noqa: F401 — регистрирует панель «Мало на складе»
)
from commerce.catalog.admin_variants import ProductVariantsPanel
from commerce.catalog.forms import CategoryAdminForm, ProductAdminForm, VariantAdminForm
from commerce.catalog.models import Attribute, Brand, Category, Product, Variant
from commerce.inventory.models import Warehouse
from commerce.pricing.models import PriceList
from staff.admin_columns import list_display_with_icons


def indexed_search_fields(*fields):
    """Вернуть поля поиска админки для модели в индексе modelsearch: на SQLite — None (все поля).

    Бэкенд FTS5 на SQLite (`make run`) принимает fields=... за имена своих столбцов (title,
    body, autocomplete), и поиск по полю модели падал с «no such column: name». Без fields
    автодополнение идёт по всем AutocompleteField модели; на PostgreSQL поля прежние.
    """
    return None if connection.vendor == "sqlite" else list(fields)


SEO_PANEL = MultiFieldPanel([FieldPanel("seo_title"), FieldPanel("seo_description")], heading=_("SEO"))


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Категории")
    list_display = list_display_with_icons(Category, ["name", "slug", "depth", "is_active"])
    list_filter = ["is_active", "depth"]
    search_fields = indexed_search_fields("name", "slug")
    ordering = ["path"]
    edit_handler = ObjectList(
        [
            FieldPanel("parent"),
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("description"),
            FieldPanel("image"),
            FieldPanel("is_active"),
            FieldPanel("attributes", heading=_("Атрибуты (фильтры) категории")),
            SEO_PANEL,
        ],
        base_form_class=CategoryAdminForm,
    )


class BrandViewSet(SnippetViewSet):
    model = Brand
    icon = "tag"
    menu_label = _("Бренды")
    list_display = list_display_with_icons(Brand, ["name", "slug", "is_active"])
    list_filter = ["is_active"]
    search_fields = indexed_search_fields("name", "slug")


class AttributeViewSet(SnippetViewSet):
    model = Attribute
    icon = "list-ul"
    menu_label = _("Атрибуты")
    list_display = list_display_with_icons(Attribute, ["name", "code", "type", "unit", "is_filterable"])
    list_filter = ["type", "is_filterable"]
    search_fields = indexed_search_fields("name", "code")
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        FieldRowPanel([FieldPanel("type"), FieldPanel("unit")]),
        FieldPanel("is_filterable"),
        FieldPanel("sort_order"),
        InlinePanel("choices", heading=_("Значения (для типа «выбор из списка»)"), label=_("Значение")),
    ]


BASE_PRICE_COLUMN = Column("base_price", label=_("цена (база)"), sort_key="base_price")
STOCK_COLUMN = Column("stock_available", label=_("доступно"), sort_key="stock_available")


class ProductViewSet(SnippetViewSet):
    model = Product
    icon = "pick"
    menu_label = _("Товары")
    list_display = list_display_with_icons(
        Product,
        [
            "name",
            "brand",
            "main_category",
            BASE_PRICE_COLUMN,
            STOCK_COLUMN,
            Column("variant_count", label=_("вариантов"), sort_key="variant_count"),
            "is_active",
            "updated_at",
        ],
    )
    filterset_class = admin_lists.ProductFilterSet
    # Только поля с AutocompleteField у модели: иначе поиск на PostgreSQL падал (SearchFieldError).
    search_fields = indexed_search_fields("name")
    list_per_page = 50
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("name"),
                    FieldPanel("slug"),
                    FieldPanel("brand"),
                    FieldPanel("main_category"),
                    FieldPanel("extra_categories"),
                    FieldPanel("description"),
                    FieldRowPanel([FieldPanel("is_active"), FieldPanel("popularity")]),
                    FieldRowPanel([FieldPanel("unit_name"), FieldPanel("unit_code"), FieldPanel("vat_rate")]),
                    ProductVariantsPanel(heading=_("Варианты, цены и остатки")),
                ],
                heading=_("Товар"),
            ),
            ObjectList([InlinePanel("images", label=_("Изображение"))], heading=_("Изображения")),
            ObjectList([InlinePanel("attribute_values", label=_("Атрибут"))], heading=_("Атрибуты")),
            ObjectList([SEO_PANEL], heading=_("SEO")),
        ],
        base_form_class=ProductAdminForm,
    )

    def get_queryset(self, request):
        return admin_lists.products_for_admin_list()


class VariantCreateView(CreateView):
    """Добавление варианта: товар подставлен из ?product= (кнопка «Добавить вариант» в форме товара)."""

    def get_initial_form_instance(self):
        product_id = self.request.GET.get("product", "")
        if product_id.isdigit() and Product.objects.filter(pk=product_id).exists():
            return Variant(product_id=int(product_id))
        return super().get_initial_form_instance()


class VariantViewSet(SnippetViewSet):
    model = Variant
    icon = "snippet"
    menu_label = _("Варианты (SKU)")
    add_view_class = VariantCreateView
    list_display = list_display_with_icons(
        Variant, ["sku", "name", "product", BASE_PRICE_COLUMN, STOCK_COLUMN, "barcode", "is_active"]
    )
    filterset_class = admin_lists.VariantFilterSet
    search_fields = indexed_search_fields("sku")
    list_per_page = 50
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("product"),
                    FieldRowPanel([FieldPanel("sku"), FieldPanel("barcode")]),
                    FieldPanel("name"),
                    FieldRowPanel(
                        [
                            FieldPanel("weight_grams"),
                            FieldPanel("length_mm"),
                            FieldPanel("width_mm"),
                            FieldPanel("height_mm"),
                        ]
                    ),
                    FieldRowPanel([FieldPanel("is_active"), FieldPanel("sort_order")]),
                    InlinePanel("attribute_values", label=_("Атрибут варианта")),
                ],
                heading=_("Вариант"),
            ),
            ObjectList([InlinePanel("prices", label=_("Цена"))], heading=_("Цены")),
            ObjectList([InlinePanel("stocks", label=_("Остаток"))], heading=_("Остатки")),
        ],
        # Цены и остатки в форме варианта — только с правами на них (VariantAdminForm).
        base_form_class=VariantAdminForm,
    )

    def get_queryset(self, request):
        return admin_lists.variants_for_admin_list()


class PriceListViewSet(SnippetViewSet):
    model = PriceList
    icon = "doc-full"
    menu_label = _("Прайс-листы")
    list_display = list_display_with_icons(PriceList, ["name", "code", "region", "currency", "is_active"])
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("region"),
        FieldPanel("currency"),
        FieldPanel("is_active"),
    ]


class WarehouseViewSet(SnippetViewSet):
    model = Warehouse
    icon = "home"
    menu_label = _("Склады")
    list_display = list_display_with_icons(Warehouse, ["name", "code", "region", "is_active"])
    list_filter = ["is_active", "region"]
    search_fields = ["name", "code"]


class CatalogViewSetGroup(SnippetViewSetGroup):
    """Меню «Каталог» в Wagtail admin: всё, что нужно менеджеру каталога, цен и остатков."""

    menu_label = _("Каталог")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        ProductViewSet,
        VariantViewSet,
        CategoryViewSet,
        BrandViewSet,
        AttributeViewSet,
        PriceListViewSet,
        WarehouseViewSet,
    )


register_snippet(CatalogViewSetGroup)
