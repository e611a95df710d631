"""Чтения каталога для витрины: список с фильтрами, фасеты, карточка товара.

Каждая функция делает постоянное число SQL-запросов, сколько бы строк ни вернула, и отдаёт
простые словари, а не модели: сериализация списка — самое горячее место API. Товары под
фильтром читаются только через язык фильтров offer_sql (список, фасеты, поиск, карточки блога).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import psycopg
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from wagtail.images import get_image_model

from commerce.catalog import indexing, offer_sql
from commerce.catalog.models import CategoryFacetCount, ExternalId, Product, ProductImage

# Сырые SQL-чтения — с реплики, если представление это разрешило (core.db_routing).
from core.db_routing import read_connection as connection

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
    # Только товары со скидкой (старая цена больше текущей).
    has_discount: bool = False
    # Группы id значений атрибутов-списков: внутри группы «или», между группами «и».
    choice_groups: tuple = ()
    # (id атрибута, минимум или None, максимум или None)
    number_ranges: tuple = ()
    # (id атрибута, True/False)
    booleans: tuple = ()


# Сортировки списка (имена) и сортировка по умолчанию — из языка фильтров (offer_sql).
PRODUCT_SORTS = offer_sql.LIST_SORTS
DEFAULT_SORT = offer_sql.DEFAULT_SORT


# Ключи строки страницы из предложений: поля строки списка и id главного изображения.
_PAGE_KEYS = (*offer_sql.OFFER_LIST_KEYS, "main_image_id")


def product_list(*, region_id, filters, sort=DEFAULT_SORT, offset=0, limit=24):
    """Вернуть (число товаров под фильтром, строки страницы) — один или два SQL-запроса к одной таблице.

    Оба пути читают только предложения региона (ProductOffer), SQL собирает offer_sql. С фильтром
    категории (частый случай витрины) — один запрос: выборка категории материализуется (CTE
    MATERIALIZED), затем сортируется, а число строк даёт COUNT(*) OVER (). Материализация
    закрепляет план: без неё окно (ему нужны все строки) PostgreSQL недооценивает и идёт по
    индексу цены через все 100 тыс. предложений региона (0,8 с вместо миллисекунд). Без
    категории — два запроса (число и страница по индексу сортировки). Строка — словарь с
    ключами offer_sql.OFFER_LIST_KEYS и ``main_image_id`` (id главного ProductImage или None:
    изображения страницы читаются, только если они есть). Страница за концом — пустой список.
    Без региона (регионов нет вовсе) строки — сами товары под тем же фильтром: все недоступны.
    """
    if offer_sql.category_table_serves(region_id=region_id, filters=filters, sort=sort):
        return _category_list(region_id=region_id, filters=filters, sort=sort, offset=offset, limit=limit)
    inner, params = offer_sql.offer_select_sql(region_id=region_id, filters=filters)
    with connection.cursor() as cursor:
        if filters.category_id is not None:
            materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
            page_sql = offer_sql.offer_page_sql(source="f", sort=sort, total=True)
            cursor.execute(f"WITH f AS {materialized}({inner}) {page_sql}", [*params, limit, offset])
            page = cursor.fetchall()
            if page:
                return page[0][-1], [dict(zip(_PAGE_KEYS, row[:-1], strict=True)) for row in page]
            if not offset:
                return 0, []
        cursor.execute(f"SELECT COUNT(*) FROM ({inner}) AS f", params)  # noqa: S608 — имена и плейсхолдеры
        count = cursor.fetchone()[0]
        if offset >= count or filters.category_id is not None:
            return count, []
        cursor.execute(offer_sql.offer_page_sql(source=f"({inner})", sort=sort, total=False), [*params, limit, offset])
        return count, [dict(zip(_PAGE_KEYS, row, strict=True)) for row in cursor.fetchall()]


def maintained_count_key(filters):
    """Вернуть (вид, ключ) счётчика CategoryFacetCount, равного числу строк под фильтром, или None.

    Счётчик есть у категории без фильтров, «в наличии» и одного бренда; остальные фильтры
    считаются запросом по диапазону категории.
    """
    if filters.category_id is None or filters.choice_groups or filters.number_ranges or filters.booleans:
        return None
    if filters.has_discount:
        return None
    if filters.price_min is not None or filters.price_max is not None:
        return None
    if not filters.brand_ids:
        return (CategoryFacetCount.KIND_IN_STOCK if filters.in_stock else CategoryFacetCount.KIND_TOTAL, 0)
    if len(set(filters.brand_ids)) == 1 and not filters.in_stock:
        return (CategoryFacetCount.KIND_BRAND, filters.brand_ids[0])
    return None


_MAINTAINED_COUNT_SQL = (
    "COALESCE((SELECT c.count FROM catalog_categoryfacetcount AS c WHERE c.category_id = %s AND c.region_id = %s"
    " AND c.kind = %s AND c.key = %s), 0)"
)


def _category_count_sql(*, region_id, filters, where, params):
    """Скалярный подзапрос числа строк категории под фильтром и его параметры: счётчик или COUNT по диапазону."""
    key = maintained_count_key(filters)
    if key is not None:
        return _MAINTAINED_COUNT_SQL, [filters.category_id, region_id, *key]
    return f"(SELECT COUNT(*) FROM {offer_sql.CATEGORY_OFFERS_SQL} AS o WHERE {where})", list(params)  # noqa: S608


def _category_list(*, region_id, filters, sort, offset, limit):
    """Страница категории в регионе — один запрос: диапазон индекса CategoryOffer до LIMIT и число строк.

    Число строк — поддерживаемый счётчик (без фильтров, «в наличии», один бренд) или COUNT по
    диапазону категории; за концом выдачи — ещё один запрос только числа.
    """
    where, params = offer_sql.offer_where_sql(region_id=region_id, filters=filters, by_category=True)
    count_sql, count_params = _category_count_sql(region_id=region_id, filters=filters, where=where, params=params)
    page_sql = offer_sql.category_page_sql(where=where, sort=sort, count_sql=count_sql)
    with connection.cursor() as cursor:
        cursor.execute(page_sql, [*count_params, *params, limit, offset, region_id])
        page = cursor.fetchall()
        if page:
            return page[0][-1], [dict(zip(_PAGE_KEYS, row[:-1], strict=True)) for row in page]
        if not offset:
            return 0, []
        cursor.execute(f"SELECT {count_sql}", count_params)
        return cursor.fetchone()[0], []


def product_facets(*, region_id, filters, choice_ids, number_ids=()):
    """Посчитать фасеты под текущим фильтром — один SQL-запрос.

    Возвращает словарь: ``brands`` {id бренда: число товаров}, ``choices`` {id значения: число}
    (только среди choice_ids — значений фильтруемых атрибутов категории), ``price_min``,
    ``price_max``, ``total``, ``in_stock`` — сколько товаров в наличии, и ``numbers``
    {id атрибута: (минимум, максимум)} числовых атрибутов number_ids у товаров под фильтром
    (значения товара и его активных вариантов) — границы для ползунка диапазона.

    Категория в регионе без фильтров: числа — из поддерживаемых счётчиков CategoryFacetCount,
    диапазон цен — минимум и максимум индекса (категория, регион, цена); с фильтрами — подсчёт
    над выборкой из диапазона CategoryOffer. Без категории — над предложениями региона.
    """
    choice_ids = set(choice_ids)
    by_category = offer_sql.category_table_serves(region_id=region_id, filters=filters)
    if by_category and maintained_count_key(filters) == (CategoryFacetCount.KIND_TOTAL, 0):
        sql, params = _facets_maintained_sql(region_id=region_id, category_id=filters.category_id)
    else:
        sql, params = _facets_counted_sql(region_id=region_id, filters=filters, choice_ids=choice_ids)
    if number_ids:
        part, values = _number_ranges_sql(number_ids)
        sql, params = f"{sql} UNION ALL {part}", [*params, *values]
    result = {
        "brands": {},
        "choices": {},
        "numbers": {},
        "total": 0,
        "in_stock": 0,
        "price_min": None,
        "price_max": None,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, key, count, low, high in cursor.fetchall():
            if kind == CategoryFacetCount.KIND_BRAND:
                result["brands"][key] = count
            elif kind == CategoryFacetCount.KIND_TOTAL:
                result["total"] = count
            elif kind == CategoryFacetCount.KIND_IN_STOCK:
                result["in_stock"] = count
            elif kind == CategoryFacetCount.KIND_CHOICE:
                if key in choice_ids:
                    result["choices"][key] = count
            elif kind == _KIND_PRICE_RANGE:
                result.update(price_min=_as_decimal(low), price_max=_as_decimal(high))
            elif kind == _KIND_NUMBER_RANGE:
                result["numbers"][key] = (_as_decimal(low), _as_decimal(high))
    return result


# Виды строк запроса фасетов сверх видов CategoryFacetCount: диапазон цен и диапазон числа.
_KIND_PRICE_RANGE = 5
_KIND_NUMBER_RANGE = 4
# Типы столбцов UNION задаёт первая часть: пустое число — NUMERIC, а не текст.
_NO_NUMBER = "CAST(NULL AS NUMERIC)"


def _facets_maintained_sql(*, region_id, category_id):
    """Фасеты категории без фильтров: счётчики CategoryFacetCount и края индекса цены; f — товары категории."""
    sql = (
        "WITH f AS (SELECT o.product_id FROM catalog_categoryoffer AS o WHERE o.category_id = %s AND o.region_id = %s) "  # noqa: S608
        f"SELECT c.kind, c.key, c.count, {_NO_NUMBER}, {_NO_NUMBER} FROM catalog_categoryfacetcount AS c"
        " WHERE c.category_id = %s AND c.region_id = %s"
        f" UNION ALL SELECT {_KIND_PRICE_RANGE}, NULL, NULL, MIN(o.price), MAX(o.price)"
        " FROM catalog_categoryoffer AS o WHERE o.category_id = %s AND o.region_id = %s"
    )
    return sql, [category_id, region_id] * 3


def _facets_counted_sql(*, region_id, filters, choice_ids):
    """Фасеты под фильтром: подсчёты одним UNION ALL над материализованной выборкой f."""
    if offer_sql.category_table_serves(region_id=region_id, filters=filters):
        where, params = offer_sql.offer_where_sql(region_id=region_id, filters=filters, by_category=True)
        inner = (
            "SELECT o.product_id, o.brand_id, o.price, o.in_stock"  # noqa: S608 — имена и плейсхолдеры
            f" FROM {offer_sql.CATEGORY_OFFERS_SQL} AS o WHERE {where}"
        )
    else:
        inner, params = offer_sql.offer_select_sql(
            region_id=region_id, filters=filters, columns=("product_id", "brand_id", "price", "in_stock")
        )
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    parts = [
        f"SELECT 0, f.brand_id, COUNT(*), {_NO_NUMBER}, {_NO_NUMBER} FROM f WHERE f.brand_id IS NOT NULL"  # noqa: S608
        " GROUP BY f.brand_id",
        "SELECT 1, NULL, COUNT(*), NULL, NULL FROM f",
        "SELECT 2, NULL, COUNT(*), NULL, NULL FROM f WHERE f.in_stock",
        f"SELECT {_KIND_PRICE_RANGE}, NULL, NULL, MIN(f.price), MAX(f.price) FROM f",  # noqa: S608 — имена из кода
    ]
    if choice_ids:
        condition, values = indexing.sql_in("pchi.choice_id", sorted(choice_ids))
        parts.append(
            "SELECT 3, pchi.choice_id, COUNT(*), NULL, NULL FROM catalog_productchoiceindex AS pchi "  # noqa: S608
            f"JOIN f ON f.product_id = pchi.product_id WHERE {condition} GROUP BY pchi.choice_id"
        )
        params = [*params, *values]
    return f"WITH f AS {materialized}({inner}) " + " UNION ALL ".join(parts), params


def _number_ranges_sql(number_ids):
    """Часть UNION ALL фасетов: минимум и максимум числовых атрибутов у товаров f (товар и активные варианты)."""
    ids = sorted(set(number_ids))
    product_condition, product_values = indexing.sql_in("pav.attribute_id", ids)
    variant_condition, variant_values = indexing.sql_in("vav.attribute_id", ids)
    sql = (
        f"SELECT {_KIND_NUMBER_RANGE}, x.attribute_id, COUNT(*), MIN(x.value_number), MAX(x.value_number) FROM ("  # noqa: S608
        "SELECT pav.attribute_id, pav.value_number FROM catalog_productattributevalue AS pav"
        f" WHERE {product_condition} AND pav.value_number IS NOT NULL"
        " AND pav.product_id IN (SELECT f.product_id FROM f)"
        " UNION ALL SELECT vav.attribute_id, vav.value_number FROM catalog_variantattributevalue AS vav"
        " JOIN catalog_variant AS v ON v.id = vav.variant_id"
        f" WHERE v.is_active AND {variant_condition} AND vav.value_number IS NOT NULL"
        " AND v.product_id IN (SELECT f.product_id FROM f)"
        ") AS x GROUP BY x.attribute_id"
    )
    return sql, [*product_values, *variant_values]


def product_offer_rows(*, region_id, product_ids):
    """Вернуть {id товара: строка предложения} активных товаров product_ids в регионе — один запрос.

    Строка — словарь с ключами offer_sql.OFFER_LIST_KEYS (цена «от», старая цена, валюта,
    наличие в регионе; без региона цены и наличия нет). Неактивных и удалённых товаров нет.
    Так карточки товаров вне каталога (блог) читают те же предложения, что и список.
    """
    if not product_ids:
        return {}
    inner, params = offer_sql.offer_select_sql(
        region_id=region_id,
        filters=ProductFilter(),
        columns=offer_sql.OFFER_LIST_COLUMNS,
        product_ids=sorted(set(product_ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(inner, params)
        rows = [dict(zip(offer_sql.OFFER_LIST_KEYS, values, strict=True)) for values in cursor.fetchall()]
    for row in rows:
        row["offer__price"] = _as_decimal(row["offer__price"])
        row["offer__old_price"] = _as_decimal(row["offer__old_price"])
        row["offer__in_stock"] = None if row["offer__in_stock"] is None else bool(row["offer__in_stock"])
    return {row["id"]: row for row in rows}


def _with_renditions(queryset, specs):
    """Изображения товара с самим Image и его рендишенами по фильтрам specs (ещё один запрос)."""
    rendition_model = get_image_model().get_rendition_model()
    return queryset.select_related("image").prefetch_related(
        Prefetch(
            "image__renditions",
            queryset=rendition_model.objects.filter(filter_spec__in=specs),
            to_attr="prefetched_renditions",
        )
    )


def product_main_images(*, product_ids, specs):
    """Вернуть {id товара: (ProductImage, {spec: Rendition})} — главные изображения, два запроса.

    Недостающие рендишены создаются при первом обращении (после этого — из выборки).
    """
    if not product_ids:
        return {}
    main_images = ProductImage.objects.filter(
        product_id__in=product_ids,
        id=Subquery(
            ProductImage.objects.filter(product_id=OuterRef("product_id")).order_by("sort_order", "id").values("id")[:1]
        ),
    )
    return {item.product_id: (item, item.image.get_renditions(*specs)) for item in _with_renditions(main_images, specs)}


def page_main_images(*, rows, specs):
    """Главные изображения строк страницы по их ``main_image_id`` — {id товара: (ProductImage, рендишены)}.

    Id главных изображений приходят в запросе страницы (offer_sql.MAIN_IMAGE_SQL), поэтому
    страница без изображений не стоит ни одного запроса, а с ними — два.
    """
    image_ids = [row["main_image_id"] for row in rows if row.get("main_image_id") is not None]
    if not image_ids:
        return {}
    images = _with_renditions(ProductImage.objects.filter(id__in=image_ids), specs)
    return {item.product_id: (item, item.image.get_renditions(*specs)) for item in images}


def product_images(*, product_id, specs):
    """Вернуть все изображения товара по порядку с рендишенами — два запроса."""
    images = _with_renditions(ProductImage.objects.filter(product_id=product_id).order_by("sort_order", "id"), specs)
    return [(item, item.image.get_renditions(*specs)) for item in images]


_DETAIL_SQL = """
SELECT p.id, p.slug, p.name, p.description, p.seo_title, p.seo_description, p.main_category_id, p.brand_id,
       p.created_at, p.updated_at, EXISTS (SELECT 1 FROM catalog_productimage AS pi WHERE pi.product_id = p.id),
       p.unit_code, p.unit_name, p.vat_rate
FROM catalog_product AS p
WHERE p.slug = %s AND p.is_active
"""
_DETAIL_KEYS = (
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
    "has_images",
    "unit_code",
    "unit_name",
    "vat_rate",
)


def _aware(value):
    # SQLite отдаёт время сырого курсора без часового пояса; в базе оно хранится в UTC.
    return value if value is None or timezone.is_aware(value) else timezone.make_aware(value, datetime.UTC)


def product_detail_row(*, slug):
    """Вернуть словарь активного товара по slug или None — один запрос.

    ``has_images`` говорит, есть ли у товара изображения: без них карточка их не запрашивает.
    """
    with connection.cursor() as cursor:
        cursor.execute(_DETAIL_SQL, [slug])
        values = cursor.fetchone()
    return None if values is None else _detail_row(values)


def _detail_row(values):
    """Словарь товара карточки из строки _DETAIL_SQL: время — с часовым поясом, флаг изображений — bool."""
    row = dict(zip(_DETAIL_KEYS, values, strict=True))
    row["created_at"], row["updated_at"] = _aware(row["created_at"]), _aware(row["updated_at"])
    row["has_images"] = bool(row["has_images"])
    return row


def _result_sets(statements):
    """Выполнить запросы [(sql, параметры)] карточки и вернуть их строки.

    На PostgreSQL — подготовленными запросами (prepare) на отдельном курсоре с привязкой
    параметров на сервере: разбор и план строятся один раз на соединение, а каждый следующий
    запрос карточки — только исполнение (план трёх запросов стоил 1,3 мс против 0,3 мс
    исполнения). Курсор обёрнут так же, как курсоры Django, — запросы видны в connection.queries
    и в подсчётах тестов. На других базах — обычный курсор Django.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            results = []
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
            return results
    with _prepared_cursor() as cursor:
        results = []
        for sql, params in statements:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
        return results


# Порог автоматической подготовки, которого не достигнет ни один запрос.
_NEVER_AUTOMATICALLY = 2**31 - 1


class _PreparedCursor(psycopg.Cursor):
    """psycopg.Cursor, который готовит каждый запрос (prepare=True): курсор Django не передаёт аргументы."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        result = super().execute(query, params, prepare=True, binary=binary)
        if self._query is None:
            # psycopg не хранит текст подготовленного запроса, а журнал запросов Django
            # (connection.queries, подсчёты тестов) читает его отсюда.
            self._query = _ExecutedQuery(query)
        return result


class _ExecutedQuery:
    __slots__ = ("query",)

    def __init__(self, text):
        self.query = text.encode()


def _prepared_cursor():
    """Курсор Django над psycopg.Cursor (привязка на сервере), который готовит каждый свой запрос."""
    connection.ensure_connection()
    psycopg_connection = connection.connection
    if psycopg_connection.prepare_threshold is None:
        # Django выключает подготовку на соединении (None); курсоры Django привязывают параметры
        # на клиенте и не готовят запросов вовсе, так что порог влияет только на этот курсор,
        # а он готовит свои запросы явно (prepare=True).
        psycopg_connection.prepare_threshold = _NEVER_AUTOMATICALLY
    raw = _PreparedCursor(psycopg_connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


def product_card(*, slug, region_id):
    """Вернуть (товар, варианты, значения атрибутов) активного товара по slug или None.

    Три запроса (товар; варианты с ценой и остатком региона; атрибуты товара и вариантов) —
    на PostgreSQL подготовленные (_result_sets). Варианты и атрибуты находят товар по тому же slug.
    """
    region_id = region_id or NO_REGION_ID
    product, variants, attributes = _result_sets(
        [
            (_DETAIL_SQL, [slug]),
            (_VARIANTS_SQL.format(product=_PRODUCT_BY_SLUG), [region_id, region_id, slug]),
            (_ATTRIBUTES_SQL.format(product=_PRODUCT_BY_SLUG), [slug, slug]),
        ]
    )
    if not product:
        return None
    return _detail_row(product[0]), _variant_rows(variants), _attribute_rows(attributes)


_PRODUCT_BY_SLUG = "(SELECT p.id FROM catalog_product AS p WHERE p.slug = %s AND p.is_active)"

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
WHERE v.product_id = {product} AND v.is_active
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
FROM catalog_productattributevalue WHERE product_id = {product}
UNION ALL
SELECT vav.variant_id, vav.attribute_id, vav.choice_id, vav.value_text, vav.value_number, vav.value_boolean,
       vav.sort_order
FROM catalog_variantattributevalue AS vav JOIN catalog_variant AS v ON v.id = vav.variant_id
WHERE v.product_id = {product} AND v.is_active
"""
_ATTRIBUTE_KEYS = ("variant_id", "attribute_id", "choice_id", "value_text", "value_number", "value_boolean")
_ATTRIBUTE_KEYS += ("sort_order",)


def _as_decimal(value):
    # SQLite отдаёт числа сырого курсора как float; PostgreSQL — Decimal.
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


def _variant_rows(values_list):
    """Строки вариантов карточки: цена региона и базовая, доступный остаток в регионе.

    Цена — из прайс-листа региона, а без неё — из базового; ``available`` — сумма
    «на складе − резерв» по активным складам региона. У региона не больше одного активного
    прайс-листа (как и в offers.product_offer_refresh).
    """
    rows = {}
    for values in values_list:
        # Два активных прайс-листа в регионе дали бы повтор варианта: берётся первый.
        rows.setdefault(values[0], dict(zip(_VARIANT_KEYS, values, strict=True)))
    for row in rows.values():
        for key in _MONEY_KEYS:
            row[key] = _as_decimal(row[key])
    return list(rows.values())


def _attribute_rows(values_list):
    """Значения атрибутов товара и вариантов по порядку показа.

    Строки: variant_id (None — атрибут товара), attribute_id, choice_id, value_text,
    value_number, value_boolean, sort_order.
    """
    result = [dict(zip(_ATTRIBUTE_KEYS, values, strict=True)) for values in values_list]
    for row in result:
        row["value_number"] = _as_decimal(row["value_number"])
        if row["value_boolean"] is not None:
            row["value_boolean"] = bool(row["value_boolean"])
    result.sort(key=lambda row: (row["sort_order"], row["attribute_id"]))
    return result


def product_first_active():
    """Вернуть активный товар с наименьшим id или None (каталог пуст) — для демо-данных блога."""
    return Product.objects.filter(is_active=True).order_by("id").first()


def external_id_lookup(*, model, system, value):
    """Найти объект каталога по id во внешней системе или вернуть None."""
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
