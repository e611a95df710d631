"""Схема OpenAPI ответов API каталога (drf-spectacular).

Представления каталога собирают словари сами (serializers.py) — ради скорости списка, — поэтому
сериализаторы ниже только описывают форму ответа для /api/schema/ и Swagger UI и в запросах не
участвуют. Меняя словари в serializers.py или views.py, меняйте и описание здесь.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from commerce.catalog import error_codes
from commerce.catalog.models import VatRate

TAGS = ["catalog"]


class MoneyField(serializers.CharField):
    """Деньги строкой с двумя знаками ("1990.00") или null."""


class RenditionSchema(serializers.Serializer):
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class ImageSchema(serializers.Serializer):
    alt = serializers.CharField()
    renditions = serializers.DictField(child=RenditionSchema(), help_text="Рендишены по фильтру Wagtail.")


class BrandShortSchema(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CategoryShortSchema(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CategoryTreeNodeSchema(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    children = serializers.ListField(child=serializers.DictField(), help_text="Узлы той же формы.")


class CategoryTreeSchema(serializers.Serializer):
    results = CategoryTreeNodeSchema(many=True)


class AttributeChoiceSchema(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class CategoryAttributeSchema(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=["choice", "number", "boolean"])
    unit = serializers.CharField()
    values = AttributeChoiceSchema(many=True, required=False, help_text="Только у атрибутов-списков.")


class SeoSchema(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()


class CategoryDetailSchema(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(help_text="Rich text (HTML).")
    seo = SeoSchema()
    breadcrumbs = CategoryShortSchema(many=True)
    children = CategoryShortSchema(many=True)
    attributes = CategoryAttributeSchema(many=True, help_text="Фильтруемые атрибуты категории и её предков.")


class ProductListItemSchema(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    brand = BrandShortSchema(allow_null=True)
    price = MoneyField(allow_null=True)
    old_price = MoneyField(allow_null=True)
    currency = serializers.CharField(allow_null=True)
    is_available = serializers.BooleanField(help_text="Есть цена в регионе и остаток на его складах.")
    promo_label = serializers.CharField(allow_null=True, help_text="Плашка акции каталога или null.")
    image = ImageSchema(allow_null=True)


class ProductListSchema(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.CharField(allow_null=True, help_text="Путь следующей страницы или null.")
    previous = serializers.CharField(allow_null=True, help_text="Путь предыдущей страницы или null.")
    sort = serializers.CharField()
    currency = serializers.CharField(allow_null=True)
    results = ProductListItemSchema(many=True)


class FacetBrandSchema(BrandShortSchema):
    count = serializers.IntegerField()


class FacetValueSchema(AttributeChoiceSchema):
    count = serializers.IntegerField()


class FacetAttributeSchema(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    values = FacetValueSchema(many=True)


class PriceRangeSchema(serializers.Serializer):
    min = MoneyField(allow_null=True)
    max = MoneyField(allow_null=True)


class FacetRangeSchema(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    min = serializers.CharField(help_text="Наименьшее значение у товаров под фильтром, число строкой.")
    max = serializers.CharField(help_text="Наибольшее значение у товаров под фильтром, число строкой.")


class FacetsSchema(serializers.Serializer):
    count = serializers.IntegerField()
    in_stock = serializers.IntegerField()
    price = PriceRangeSchema()
    currency = serializers.CharField(allow_null=True)
    brands = FacetBrandSchema(many=True)
    attributes = FacetAttributeSchema(many=True)
    ranges = FacetRangeSchema(many=True, help_text="Числовые атрибуты: границы для ползунка диапазона.")


class AttributeValueSchema(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=["choice", "number", "boolean", "text"])
    unit = serializers.CharField()
    value = serializers.JSONField(allow_null=True, help_text="Код значения, число строкой, true/false или текст.")
    label = serializers.CharField(required=False, allow_null=True, help_text="Только у атрибутов-списков.")


class DimensionsSchema(serializers.Serializer):
    length = serializers.IntegerField(allow_null=True)
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


class VariantSchema(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    barcode = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    attributes = AttributeValueSchema(many=True)
    price = MoneyField(allow_null=True)
    old_price = MoneyField(allow_null=True)
    currency = serializers.CharField(allow_null=True)
    available_quantity = serializers.IntegerField()
    is_available = serializers.BooleanField()
    weight_grams = serializers.IntegerField(allow_null=True)
    dimensions_mm = DimensionsSchema()


class UnitSchema(serializers.Serializer):
    code = serializers.CharField(help_text="Код ОКЕИ: 796 — штука, 166 — килограмм.")
    name = serializers.CharField(help_text="Краткое название: шт, кг, м.")


class ProductDetailSchema(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(help_text="Rich text (HTML).")
    seo = SeoSchema()
    brand = BrandShortSchema(allow_null=True)
    breadcrumbs = CategoryShortSchema(many=True)
    price = MoneyField(allow_null=True)
    old_price = MoneyField(allow_null=True)
    currency = serializers.CharField(allow_null=True)
    is_available = serializers.BooleanField()
    promo_label = serializers.CharField(allow_null=True, help_text="Плашка акции каталога или null.")
    unit = UnitSchema()
    vat_rate = serializers.ChoiceField(
        choices=VatRate.values,
        allow_null=True,
        help_text="Ставка НДС: none — без НДС; null — ставка магазина по умолчанию.",
    )
    attributes = AttributeValueSchema(many=True)
    variants = VariantSchema(many=True)
    images = ImageSchema(many=True)
    updated_at = serializers.DateTimeField()


REGION_HEADER = OpenApiParameter(
    "X-Region", OpenApiTypes.STR, OpenApiParameter.HEADER, description="Код региона (msk); без него — по умолчанию."
)
FILTER_PARAMETERS = [
    OpenApiParameter("category", OpenApiTypes.STR, description="slug категории (с подкатегориями)"),
    OpenApiParameter("brand", OpenApiTypes.STR, description="slug брендов через запятую"),
    OpenApiParameter("price_min", OpenApiTypes.DECIMAL),
    OpenApiParameter("price_max", OpenApiTypes.DECIMAL),
    OpenApiParameter("in_stock", OpenApiTypes.BOOL),
    OpenApiParameter("has_discount", OpenApiTypes.BOOL, description="Только товары со скидкой (старая цена выше)"),
    OpenApiParameter(
        "attr.<код>",
        OpenApiTypes.STR,
        description="Значения атрибута-списка через запятую, true/false; для числа — attr.<код>.min / .max",
    ),
]
LIST_PARAMETERS = [
    *FILTER_PARAMETERS,
    OpenApiParameter("sort", OpenApiTypes.STR, enum=["popular", "price", "-price", "name", "-name", "new", "discount"]),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1..100, по умолчанию 24"),
]
NOT_MODIFIED = OpenApiResponse(description="Не изменилось (If-None-Match совпал с ETag)")
BAD_FILTER = OpenApiResponse(
    description=(
        "Неверный параметр (validation_error; fields[].path — имя параметра). Коды полей: "
        + ", ".join(
            f"`{code}`"
            for code in (
                error_codes.CATEGORY_UNKNOWN,
                error_codes.BRAND_UNKNOWN,
                error_codes.ATTRIBUTE_UNKNOWN,
                error_codes.ATTRIBUTE_NOT_FILTERABLE,
                error_codes.ATTRIBUTE_VALUE_UNKNOWN,
                error_codes.INVALID_NUMBER,
                error_codes.INVALID_BOOLEAN,
                error_codes.INVALID_SORT,
                error_codes.INVALID_PAGE,
                error_codes.INVALID_PAGE_SIZE,
                error_codes.PRICE_RANGE_INVALID,
            )
        )
        + "."
    )
)
NOT_FOUND = OpenApiResponse(
    description=f"Не найдено. Коды ошибок: `{error_codes.PRODUCT_NOT_FOUND}`, `{error_codes.CATEGORY_NOT_FOUND}`."
)


def catalog_schema(*, operation_id, summary, response, parameters=(), errors=None):
    """extend_schema для представления каталога: ответ, заголовок региона, 304 и ошибки."""
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        tags=TAGS,
        parameters=[REGION_HEADER, *parameters],
        responses={200: response, 304: NOT_MODIFIED, **(errors or {})},
    )
