"""Чтения каталога для витрины: список с фильтрами, фасеты, карточка товара, регион запроса.

Каждая функция делает постоянное число SQL-запросов, сколько бы строк ни вернула, и отдаёт
простые словари (``.values()``), а не модели: сериализация списка — самое горячее место API.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from wagtail.images import get_image_model

from commerce.catalog.models import (
    ExternalId,
    Product,
    ProductAttributeValue,
    ProductCategoryIndex,
    ProductChoiceIndex,
    ProductImage,
    ProductOffer,
    VariantAttributeValue,
)

# Регион, которого нет: у товаров в нём нет предложений, и все они показаны недоступными.
NO_REGION_ID = -1


@dataclass(frozen=True)
class ProductFilter:
    """Проверенный фильтр списка товаров (его собирает api.params из параметров запроса)."""

    category_id: int | None = None
    brand_ids: tuple = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False
    # Группы id значений атрибутов-списков: внутри группы «или», между группами «и».
    choice_groups: tuple = ()
    # (id атрибута, минимум или None, максимум или None)
    number_ranges: tuple = ()
    # (id атрибута, True/False)
    booleans: tuple = ()
    extra: dict = field(default_factory=dict)


PRODUCT_SORTS = {
    "popular": (F("popularity").desc(), F("id").asc()),
    "price": (F("offer__price").asc(nulls_last=True), F("id").asc()),
    "-price": (F("offer__price").desc(nulls_last=True), F("id").asc()),
    "name": (F("name").asc(), F("id").asc()),
    "-name": (F("name").desc(), F("id").asc()),
    "new": (F("created_at").desc(), F("id").desc()),
}
DEFAULT_SORT = "popular"


def region_for_request(*, request):
    """Вернуть регион запроса: request.region от RegionMiddleware, а без него — регион по умолчанию.

    Запасной путь нужен, пока middleware регионов не подключено (и для вызовов вне HTTP).
    """
    region = getattr(request, "region", None)
    if region is not None:
        return region
    from regions.models import Region

    return Region.objects.filter(is_default=True).first()


def _attribute_value_exists(attribute_id, condition, product_field="pk"):
    product_level = ProductAttributeValue.objects.filter(product_id=OuterRef(product_field), attribute_id=attribute_id)
    variant_level = VariantAttributeValue.objects.filter(
        variant__product_id=OuterRef(product_field), variant__is_active=True, attribute_id=attribute_id
    )
    return Exists(product_level.filter(condition)) | Exists(variant_level.filter(condition))


def product_queryset_filtered(*, region_id, filters):
    """Активные товары под фильтром, с предложением региона в псевдониме ``offer`` (LEFT JOIN)."""
    queryset = Product.objects.filter(is_active=True).annotate(
        offer=FilteredRelation("offers", condition=Q(offers__region_id=region_id or NO_REGION_ID))
    )
    if filters.category_id is not None:
        queryset = queryset.filter(
            id__in=ProductCategoryIndex.objects.filter(category_id=filters.category_id).values("product_id")
        )
    if filters.brand_ids:
        queryset = queryset.filter(brand_id__in=filters.brand_ids)
    for group in filters.choice_groups:
        queryset = queryset.filter(id__in=ProductChoiceIndex.objects.filter(choice_id__in=group).values("product_id"))
    for attribute_id, minimum, maximum in filters.number_ranges:
        condition = Q()
        if minimum is not None:
            condition &= Q(value_number__gte=minimum)
        if maximum is not None:
            condition &= Q(value_number__lte=maximum)
        queryset = queryset.filter(_attribute_value_exists(attribute_id, condition))
    for attribute_id, flag in filters.booleans:
        queryset = queryset.filter(_attribute_value_exists(attribute_id, Q(value_boolean=flag)))
    if filters.price_min is not None:
        queryset = queryset.filter(offer__price__gte=filters.price_min)
    if filters.price_max is not None:
        queryset = queryset.filter(offer__price__lte=filters.price_max)
    if filters.in_stock:
        queryset = queryset.filter(offer__in_stock=True)
    return queryset


LIST_FIELDS = (
    "id",
    "slug",
    "name",
    "brand_id",
    "main_category_id",
    "offer__price",
    "offer__old_price",
    "offer__currency",
    "offer__in_stock",
)


def offer_queryset_filtered(*, region_id, filters):
    """Предложения региона под фильтром — одна таблица catalog_productoffer.

    В предложении есть всё для строки списка и сортировок (см. ProductOffer), поэтому список и
    фасеты не соединяются с catalog_product: категория и значения атрибутов — индексные
    полусоединения по product_id, остальное — условия на столбцы самой таблицы.
    """
    queryset = ProductOffer.objects.filter(region_id=region_id, is_active=True)
    if filters.category_id is not None:
        queryset = queryset.filter(
            product_id__in=ProductCategoryIndex.objects.filter(category_id=filters.category_id).values("product_id")
        )
    if filters.brand_ids:
        queryset = queryset.filter(brand_id__in=filters.brand_ids)
    for group in filters.choice_groups:
        queryset = queryset.filter(
            product_id__in=ProductChoiceIndex.objects.filter(choice_id__in=group).values("product_id")
        )
    for attribute_id, minimum, maximum in filters.number_ranges:
        condition = Q()
        if minimum is not None:
            condition &= Q(value_number__gte=minimum)
        if maximum is not None:
            condition &= Q(value_number__lte=maximum)
        queryset = queryset.filter(_attribute_value_exists(attribute_id, condition, "product_id"))
    for attribute_id, flag in filters.booleans:
        queryset = queryset.filter(_attribute_value_exists(attribute_id, Q(value_boolean=flag), "product_id"))
    if filters.price_min is not None:
        queryset = queryset.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        queryset = queryset.filter(price__lte=filters.price_max)
    if filters.in_stock:
        queryset = queryset.filter(in_stock=True)
    return queryset


OFFER_SORTS = {
    "popular": (F("popularity").desc(), F("product_id").asc()),
    "price": (F("price").asc(nulls_last=True), F("product_id").asc()),
    "-price": (F("price").desc(nulls_last=True), F("product_id").asc()),
    "name": (F("name").asc(), F("product_id").asc()),
    "-name": (F("name").desc(), F("product_id").asc()),
    "new": (F("created_at").desc(), F("product_id").desc()),
}
# Столбцы предложения в порядке LIST_FIELDS (строки списка — словари с ключами LIST_FIELDS).
_OFFER_LIST_COLUMNS = ("product_id", "slug", "name", "brand_id", "price", "old_price", "currency", "in_stock")
_OFFER_LIST_KEYS = (
    "id",
    "slug",
    "name",
    "brand_id",
    "offer__price",
    "offer__old_price",
    "offer__currency",
    "offer__in_stock",
)


# Порядок строк для SQL страницы списка по категории (те же сортировки, что OFFER_SORTS).
_OFFER_SORT_SQL = {
    "popular": "popularity DESC, product_id",
    "price": "price ASC NULLS LAST, product_id",
    "-price": "price DESC NULLS LAST, product_id",
    "name": "name, product_id",
    "-name": "name DESC, product_id",
    "new": "created_at DESC, product_id DESC",
}


def product_list(*, region_id, filters, sort=DEFAULT_SORT, offset=0, limit=24):
    """Вернуть (число товаров под фильтром, строки страницы) — один или два SQL-запроса к одной таблице.

    Оба пути читают только предложения региона (ProductOffer). С фильтром категории (частый
    случай витрины) — один запрос: выборка категории материализуется (CTE MATERIALIZED), затем
    сортируется, а число строк даёт COUNT(*) OVER (). Материализация закрепляет план: без неё
    окно (ему нужны все строки) PostgreSQL недооценивает и идёт по индексу цены через все
    100 тыс. предложений региона (0,8 с вместо миллисекунд). Без категории — два запроса (число
    и страница по индексу сортировки). Строки — словари с ключами LIST_FIELDS (как у
    product_queryset_filtered); страница за концом — пустой список.
    Без региона (регионов нет вовсе) — прежний путь через товары: все они недоступны.
    """
    if region_id is None:
        return _product_list_without_region(filters=filters, sort=sort, offset=offset, limit=limit)
    queryset = offer_queryset_filtered(region_id=region_id, filters=filters)
    if filters.category_id is not None and connection.vendor == "postgresql":
        inner, params = queryset.values_list(*_OFFER_LIST_COLUMNS, "popularity", "created_at").query.sql_with_params()
        columns = ", ".join(_OFFER_LIST_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH filtered AS MATERIALIZED ({inner}) "  # noqa: S608 — SQL собран ORM, параметры отдельно
                f"SELECT {columns}, COUNT(*) OVER () FROM filtered "
                f"ORDER BY {_OFFER_SORT_SQL[sort]} LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            page = cursor.fetchall()
        if page:
            return page[0][-1], [dict(zip(_OFFER_LIST_KEYS, row[:-1], strict=True)) for row in page]
        return (queryset.count() if offset else 0), []
    count = queryset.count()
    if offset >= count:
        return count, []
    page = queryset.order_by(*OFFER_SORTS[sort]).values_list(*_OFFER_LIST_COLUMNS)[offset : offset + limit]
    return count, [dict(zip(_OFFER_LIST_KEYS, row, strict=True)) for row in page]


def _product_list_without_region(*, filters, sort, offset, limit):
    queryset = product_queryset_filtered(region_id=None, filters=filters)
    count = queryset.count()
    if offset >= count:
        return count, []
    rows = list(queryset.order_by(*PRODUCT_SORTS[sort]).values(*LIST_FIELDS)[offset : offset + limit])
    return count, rows


def product_facets(*, region_id, filters, choice_ids):
    """Посчитать фасеты под текущим фильтром — три SQL-запроса.

    Возвращает словарь: ``brands`` {id бренда: число товаров}, ``choices`` {id значения: число}
    (только среди choice_ids — значений фильтруемых атрибутов категории), ``price`` (минимум,
    максимум) и ``in_stock`` — сколько товаров в наличии.
    """
    if region_id is None:
        queryset = product_queryset_filtered(region_id=None, filters=filters)
        product_ids, price, in_stock = queryset.values("id"), "offer__price", Q(offer__in_stock=True)
    else:
        queryset = offer_queryset_filtered(region_id=region_id, filters=filters)
        product_ids, price, in_stock = queryset.values("product_id"), "price", Q(in_stock=True)
    brands = {
        row["brand_id"]: row["count"]
        for row in queryset.filter(brand_id__isnull=False).values("brand_id").annotate(count=Count("id")).order_by()
    }
    choices = {}
    if choice_ids:
        choices = {
            row["choice_id"]: row["count"]
            for row in ProductChoiceIndex.objects.filter(choice_id__in=choice_ids, product_id__in=product_ids)
            .values("choice_id")
            .annotate(count=Count("product_id"))
            .order_by()
        }
    summary = queryset.aggregate(
        total=Count("id"), price_min=Min(price), price_max=Max(price), in_stock=Count("id", filter=in_stock)
    )
    return {"brands": brands, "choices": choices, **summary}


def product_main_images(*, product_ids, specs):
    """Вернуть {id товара: (ProductImage, {spec: Rendition})} — главные изображения, два запроса.

    Недостающие рендишены создаются при первом обращении (после этого — из выборки).
    """
    if not product_ids:
        return {}
    rendition_model = get_image_model().get_rendition_model()
    main_images = (
        ProductImage.objects.filter(
            product_id__in=product_ids,
            id=Subquery(
                ProductImage.objects.filter(product_id=OuterRef("product_id"))
                .order_by("sort_order", "id")
                .values("id")[:1]
            ),
        )
        .select_related("image")
        .prefetch_related(
            Prefetch(
                "image__renditions",
                queryset=rendition_model.objects.filter(filter_spec__in=specs),
                to_attr="prefetched_renditions",
            )
        )
    )
    return {item.product_id: (item, item.image.get_renditions(*specs)) for item in main_images}


def product_images(*, product_id, specs):
    """Вернуть все изображения товара по порядку с рендишенами — два запроса."""
    rendition_model = get_image_model().get_rendition_model()
    images = (
        ProductImage.objects.filter(product_id=product_id)
        .order_by("sort_order", "id")
        .select_related("image")
        .prefetch_related(
            Prefetch(
                "image__renditions",
                queryset=rendition_model.objects.filter(filter_spec__in=specs),
                to_attr="prefetched_renditions",
            )
        )
    )
    return [(item, item.image.get_renditions(*specs)) for item in images]


def product_detail_row(*, slug):
    """Вернуть словарь активного товара по slug (с брендом) или None — один запрос."""
    return (
        Product.objects.filter(slug=slug, is_active=True)
        .values(
            "id",
            "slug",
            "name",
            "description",
            "seo_title",
            "seo_description",
            "main_category_id",
            "brand_id",
            "created_at",
            "updated_at",
        )
        .first()
    )


# Варианты карточки: цена региона и базовая, остаток по активным складам региона. Готовый SQL,
# а не ORM: построение запроса с семью подзапросами стоило больше, чем его выполнение. SQL
# переносим (коррелированные подзапросы, без LATERAL) — работает и на SQLite для `make run`.
_VARIANTS_SQL = """
SELECT v.id, v.sku, v.barcode, v.name, v.weight_grams, v.length_mm, v.width_mm, v.height_mm,
       rp.price, rp.old_price, rp.currency, bp.price, bp.old_price, bp.currency,
       COALESCE((
           SELECT SUM(st.quantity - st.reserved)
           FROM inventory_stock AS st JOIN inventory_warehouse AS w ON w.id = st.warehouse_id
           WHERE st.variant_id = v.id AND w.region_id = %s AND w.is_active
       ), 0)
FROM catalog_variant AS v
LEFT JOIN (
    SELECT vp.variant_id, vp.price, vp.old_price, pl.currency
    FROM pricing_variantprice AS vp JOIN pricing_pricelist AS pl ON pl.id = vp.price_list_id
    WHERE pl.region_id = %s AND pl.is_active
) AS rp ON rp.variant_id = v.id
LEFT JOIN (
    SELECT vp.variant_id, vp.price, vp.old_price, pl.currency
    FROM pricing_variantprice AS vp JOIN pricing_pricelist AS pl ON pl.id = vp.price_list_id
    WHERE pl.region_id IS NULL AND pl.is_active
) AS bp ON bp.variant_id = v.id
WHERE v.product_id = %s AND v.is_active
ORDER BY v.sort_order, v.id
"""
_VARIANT_KEYS = (
    "id",
    "sku",
    "barcode",
    "name",
    "weight_grams",
    "length_mm",
    "width_mm",
    "height_mm",
    "regional_price",
    "regional_old_price",
    "regional_currency",
    "base_price",
    "base_old_price",
    "base_currency",
    "available",
)
_MONEY_KEYS = ("regional_price", "regional_old_price", "base_price", "base_old_price")

# Значения атрибутов товара (variant_id NULL) и его активных вариантов одним запросом.
_ATTRIBUTES_SQL = """
SELECT NULL, attribute_id, choice_id, value_text, value_number, value_boolean, sort_order
FROM catalog_productattributevalue WHERE product_id = %s
UNION ALL
SELECT vav.variant_id, vav.attribute_id, vav.choice_id, vav.value_text, vav.value_number, vav.value_boolean,
       vav.sort_order
FROM catalog_variantattributevalue AS vav JOIN catalog_variant AS v ON v.id = vav.variant_id
WHERE v.product_id = %s AND v.is_active
"""
_ATTRIBUTE_KEYS = ("variant_id", "attribute_id", "choice_id", "value_text", "value_number", "value_boolean")
_ATTRIBUTE_KEYS += ("sort_order",)


def _as_decimal(value):
    # SQLite отдаёт числа сырого курсора как float; PostgreSQL — Decimal.
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


def product_variants(*, product_id, region_id):
    """Вернуть активные варианты товара с ценой и доступным остатком в регионе — один запрос.

    Цена — из прайс-листа региона, а без неё — из базового; ``available`` — сумма
    «на складе − резерв» по активным складам региона. У региона не больше одного активного
    прайс-листа (как и в offers.product_offer_refresh).
    """
    region_id = region_id or NO_REGION_ID
    with connection.cursor() as cursor:
        cursor.execute(_VARIANTS_SQL, [region_id, region_id, product_id])
        rows = {}
        for values in cursor.fetchall():
            # Два активных прайс-листа в регионе дали бы повтор варианта: берётся первый.
            rows.setdefault(values[0], dict(zip(_VARIANT_KEYS, values, strict=True)))
    for row in rows.values():
        for key in _MONEY_KEYS:
            row[key] = _as_decimal(row[key])
    return list(rows.values())


def product_attribute_rows(*, product_id):
    """Вернуть значения атрибутов товара и его вариантов одним запросом (UNION ALL).

    Строки: variant_id (None — атрибут товара), attribute_id, choice_id, value_text,
    value_number, value_boolean, sort_order.
    """
    with connection.cursor() as cursor:
        cursor.execute(_ATTRIBUTES_SQL, [product_id, product_id])
        result = [dict(zip(_ATTRIBUTE_KEYS, row, strict=True)) for row in cursor.fetchall()]
    for row in result:
        row["value_number"] = _as_decimal(row["value_number"])
        if row["value_boolean"] is not None:
            row["value_boolean"] = bool(row["value_boolean"])
    result.sort(key=lambda row: (row["sort_order"], row["attribute_id"]))
    return result


def external_id_lookup(*, model, system, value):
    """Найти объект каталога по id во внешней системе или вернуть None."""
    from django.contrib.contenttypes.models import ContentType

    link = ExternalId.objects.filter(
        content_type=ContentType.objects.get_for_model(model), system=system, value=value
    ).first()
    return model.objects.filter(pk=link.object_id).first() if link else None


def list_image_specs():
    """Фильтры Wagtail для изображений в списке товаров (настройка CATALOG_LIST_IMAGE_RENDITIONS)."""
    return list(settings.CATALOG_LIST_IMAGE_RENDITIONS)


def detail_image_specs():
    """Фильтры Wagtail для изображений в карточке (настройка CATALOG_DETAIL_IMAGE_RENDITIONS)."""
    return list(settings.CATALOG_DETAIL_IMAGE_RENDITIONS)
