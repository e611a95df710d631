"""Предложения по категориям (CategoryOffer) и счётчики категорий (CategoryFacetCount): их поддержка.

CategoryOffer — это ProductCategoryIndex × активные ProductOffer со столбцами фильтров и
сортировок: страница категории читает диапазон индекса (категория, регион, ключ сортировки)
до LIMIT, сколько бы товаров ни было в категории. CategoryFacetCount — число товаров категории
в регионе всего, в наличии, по брендам и значениям атрибутов-списков: из него отвечают число
строк списка и фасеты категории без фильтров.

Обе таблицы пишет только этот модуль, и только внутри пересчётов, которые уже вызывают все
пути записи (админка, обмен, интеграции, заказы): ``offers.product_offer_refresh`` и
``indexing.product_index_refresh`` оборачивают свою запись в ``category_offers_tracked``.
Малые правки (до DELTA_MAX_PRODUCTS товаров) меняют счётчики приращениями: состояние товаров
читается до и после записи, разница прибавляется к счётчикам (строки предложений товаров на
PostgreSQL сначала блокируются, как в отложенном пересчёте, — два пересчёта одного товара не
посчитают одну правку дважды). Массовые (импорт, весь каталог) пересчитывают счётчики затронутых
категорий целиком. SQL переносим: PostgreSQL и SQLite (встроенный вариант).
"""

from collections import Counter
from contextlib import contextmanager

from django.db import connection, transaction

from commerce.catalog.indexing import sql_in

# Больше товаров за раз — счётчики затронутых категорий пересчитываются целиком (импорт).
DELTA_MAX_PRODUCTS = 500
# Строк счётчиков в одном INSERT (по 5 параметров на строку).
_COUNTS_BATCH = 2000

# Нужные строки: категории товара (с предками) × его активные предложения по регионам.
_WANTED_SQL = """
    SELECT pci.category_id, o.region_id, o.product_id, o.price, o.in_stock, o.brand_id, o.popularity,
           o.created_at, o.name
    FROM catalog_productcategoryindex AS pci
    JOIN catalog_productoffer AS o ON o.product_id = pci.product_id
    WHERE o.is_active AND {products}
"""
_COLUMNS = ("price", "in_stock", "brand_id", "popularity", "created_at", "name")
_KEY = ("category_id", "region_id", "product_id")

_DELETE_SQL = """
DELETE FROM catalog_categoryoffer WHERE {products} AND NOT EXISTS (
    SELECT 1 FROM catalog_productcategoryindex AS pci
    JOIN catalog_productoffer AS o ON o.product_id = pci.product_id
    WHERE pci.category_id = catalog_categoryoffer.category_id
      AND pci.product_id = catalog_categoryoffer.product_id
      AND o.region_id = catalog_categoryoffer.region_id AND o.is_active
)
"""
# «WHERE 1 = 1» нужен SQLite: без WHERE он принимает ON CONFLICT за условие соединения.
_UPSERT_SQL = """
INSERT INTO catalog_categoryoffer (category_id, region_id, product_id, {columns})
SELECT wanted.* FROM ({wanted}) AS wanted WHERE 1 = 1
ON CONFLICT (category_id, region_id, product_id) DO UPDATE SET {assignments}
WHERE ({current}) {distinct} ({excluded})
"""

# Строки счётчиков: (категория, регион, вид, ключ) — по одной на каждое вхождение товара.
_STATE_SQL = """
SELECT co.category_id, co.region_id, 0, co.brand_id FROM catalog_categoryoffer AS co
WHERE co.brand_id IS NOT NULL AND {co}
UNION ALL
SELECT co.category_id, co.region_id, 1, 0 FROM catalog_categoryoffer AS co WHERE {co}
UNION ALL
SELECT co.category_id, co.region_id, 2, 0 FROM catalog_categoryoffer AS co WHERE co.in_stock AND {co}
UNION ALL
SELECT co.category_id, co.region_id, 3, pchi.choice_id FROM catalog_categoryoffer AS co
JOIN catalog_productchoiceindex AS pchi ON pchi.product_id = co.product_id WHERE {co}
"""
_RECOUNT_SQL = """
SELECT co.category_id, co.region_id, 0 AS kind, co.brand_id AS key, COUNT(*) AS count FROM catalog_categoryoffer AS co
WHERE co.brand_id IS NOT NULL AND {co} GROUP BY co.category_id, co.region_id, co.brand_id
UNION ALL
SELECT co.category_id, co.region_id, 1, 0, COUNT(*) FROM catalog_categoryoffer AS co
WHERE {co} GROUP BY co.category_id, co.region_id
UNION ALL
SELECT co.category_id, co.region_id, 2, 0, COUNT(*) FROM catalog_categoryoffer AS co
WHERE co.in_stock AND {co} GROUP BY co.category_id, co.region_id
UNION ALL
SELECT co.category_id, co.region_id, 3, pchi.choice_id, COUNT(*) FROM catalog_categoryoffer AS co
JOIN catalog_productchoiceindex AS pchi ON pchi.product_id = co.product_id
WHERE {co} GROUP BY co.category_id, co.region_id, pchi.choice_id
"""
# Пересчёт — разницей со свежим подсчётом (временная таблица catalog_facetcount_fresh): удаляются только
# счётчики, которых больше нет, переписываются только изменившиеся. После импорта цен и остатков
# всего каталога меняются лишь счётчики «в наличии» — а не сотни тысяч строк удалением и вставкой.
_RECOUNT_DELETE_SQL = """
DELETE FROM catalog_categoryfacetcount WHERE {where} AND NOT EXISTS (
    SELECT 1 FROM catalog_facetcount_fresh AS fresh
    WHERE fresh.category_id = catalog_categoryfacetcount.category_id
      AND fresh.region_id = catalog_categoryfacetcount.region_id
      AND fresh.kind = catalog_categoryfacetcount.kind AND fresh.key = catalog_categoryfacetcount.key
)
"""
# «WHERE 1 = 1» нужен SQLite: без WHERE он принимает ON CONFLICT за условие соединения.
_RECOUNT_UPSERT_SQL = """
INSERT INTO catalog_categoryfacetcount (category_id, region_id, kind, key, count)
SELECT category_id, region_id, kind, key, count FROM catalog_facetcount_fresh WHERE 1 = 1
ON CONFLICT (category_id, region_id, kind, key) DO UPDATE SET count = excluded.count
WHERE catalog_categoryfacetcount.count <> excluded.count
"""


class _Tracker:
    """Что изменил пересчёт внутри category_offers_tracked (для массового пути)."""

    __slots__ = ("facets_dirty",)

    def __init__(self):
        # Выставляет пересчёт индекса значений: счётчики значений зависят и от него.
        self.facets_dirty = False


def _normalized(product_ids):
    if product_ids is None:
        return None
    return sorted({pk for pk in product_ids if pk is not None})


@contextmanager
def category_offers_tracked(*, product_ids):
    """Привести CategoryOffer и счётчики категорий товаров product_ids (None — всех) к записи в блоке with.

    Блок — запись предложений или индексов категорий и значений этих товаров. Всё — в одной
    транзакции с записью (точка сохранения, если транзакция уже идёт): счётчики не
    расходятся с предложениями ни при ошибке, ни при откате.
    """
    product_ids = _normalized(product_ids)
    if product_ids is not None and not product_ids:
        yield _Tracker()
        return
    tracker = _Tracker()
    with transaction.atomic(), connection.cursor() as cursor:
        if product_ids is not None and len(product_ids) <= DELTA_MAX_PRODUCTS:
            _offers_lock(cursor, product_ids)
            before = _state(cursor, product_ids)
            yield tracker
            _rows_sync(cursor, product_ids)
            _counts_add(cursor, _state(cursor, product_ids), before)
            return
        categories_before = _categories(cursor, product_ids)
        yield tracker
        changed = _rows_sync(cursor, product_ids)
        if changed or tracker.facets_dirty:
            categories = None if product_ids is None else categories_before | _categories(cursor, product_ids)
            category_counts_recount(category_ids=categories)
        if changed and product_ids is None:
            _statistics_refresh(cursor)


def _statistics_refresh(cursor):
    """Обновить статистику планировщика после массовой записи (PostgreSQL).

    Без неё сразу после заполнения таблицы планировщик считает её пустой и читает категорию
    целиком с сортировкой вместо просмотра индекса до LIMIT (3 мс вместо 0,2 мс на 1 000 товаров).
    """
    if connection.vendor == "postgresql":
        cursor.execute("ANALYZE catalog_categoryoffer")
        cursor.execute("ANALYZE catalog_categoryfacetcount")


def category_offers_forget(*, product_ids):
    """Убрать товары из CategoryOffer и вычесть их из счётчиков (перед удалением товаров)."""
    product_ids = _normalized(product_ids)
    if not product_ids:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        before = _state(cursor, product_ids)
        where, params = sql_in("product_id", product_ids)
        cursor.execute(f"DELETE FROM catalog_categoryoffer WHERE {where}", params)  # noqa: S608 — плейсхолдеры
        _counts_add(cursor, Counter(), before)


def category_ids_of_products(*, product_ids):
    """Вернуть множество категорий (с предками) товаров product_ids — по индексу категорий."""
    product_ids = _normalized(product_ids)
    if not product_ids:
        return set()
    where, params = sql_in("product_id", product_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT category_id FROM catalog_productcategoryindex WHERE {where}", params)  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


def category_counts_recount(*, category_ids=None):
    """Пересчитать счётчики категорий category_ids (None — всех) по CategoryOffer целиком.

    Свежий подсчёт ложится во временную таблицу, и в счётчики пишется только разница: лишние
    удаляются, изменившиеся и новые — upsert с условием «число другое».
    """
    if category_ids is not None:
        category_ids = sorted(category_ids)
        if not category_ids:
            return
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Приращения других транзакций ждут конца пересчёта, а подсчёт ниже видит всё, что они
            # зафиксировали до блокировки: иначе счётчик, созданный приращением между подсчётом и
            # записью, был бы перезаписан подсчётом без него. Прежний DELETE всех счётчиков
            # держал те же строки до фиксации.
            cursor.execute("LOCK TABLE catalog_categoryfacetcount IN SHARE ROW EXCLUSIVE MODE")
        co, co_params = sql_in("co.category_id", category_ids)
        cursor.execute("DROP TABLE IF EXISTS catalog_facetcount_fresh")
        cursor.execute("CREATE TEMP TABLE catalog_facetcount_fresh AS " + _RECOUNT_SQL.format(co=co), co_params * 4)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE catalog_facetcount_fresh")
        else:
            # SQLite соединяет по индексу, а не хешем: без него NOT EXISTS перебирал бы таблицу на каждую строку.
            cursor.execute(
                "CREATE INDEX catalog_facetcount_fresh_key"
                " ON catalog_facetcount_fresh (category_id, region_id, kind, key)"
            )
        where, params = sql_in("category_id", category_ids)
        cursor.execute(_RECOUNT_DELETE_SQL.format(where=where), params)
        cursor.execute(_RECOUNT_UPSERT_SQL)
        cursor.execute("DROP TABLE catalog_facetcount_fresh")


def _offers_lock(cursor, product_ids):
    # Порядок блокировки — как у отложенного пересчёта (offers._deferred_flush): без взаимных блокировок.
    if connection.vendor != "postgresql":
        return  # SQLite: запись и так одна на всю базу
    where, params = sql_in("product_id", product_ids)
    cursor.execute(
        f"SELECT 1 FROM catalog_productoffer WHERE {where} ORDER BY product_id, region_id FOR UPDATE",  # noqa: S608
        params,
    )


def _state(cursor, product_ids):
    """Счётчики, которые дают товары product_ids сейчас: Counter {(категория, регион, вид, ключ): число}."""
    co, params = sql_in("co.product_id", product_ids)
    cursor.execute(_STATE_SQL.format(co=co), params * 4)
    return Counter(tuple(row) for row in cursor.fetchall())


def _categories(cursor, product_ids):
    if product_ids is None:
        return set()
    where, params = sql_in("product_id", product_ids)
    cursor.execute(f"SELECT DISTINCT category_id FROM catalog_categoryoffer WHERE {where}", params)  # noqa: S608
    return {row[0] for row in cursor.fetchall()}


def _rows_sync(cursor, product_ids):
    """Привести строки CategoryOffer товаров к категориям и предложениям; вернуть число изменённых строк."""
    products, params = sql_in("catalog_categoryoffer.product_id", product_ids)
    cursor.execute(_DELETE_SQL.format(products=products), params)
    changed = max(cursor.rowcount, 0)
    wanted_products, wanted_params = sql_in("pci.product_id", product_ids)
    cursor.execute(
        _UPSERT_SQL.format(
            columns=", ".join(_COLUMNS),
            wanted=_WANTED_SQL.format(products=wanted_products),
            assignments=", ".join(f"{column} = excluded.{column}" for column in _COLUMNS),
            current=", ".join(f"catalog_categoryoffer.{column}" for column in _COLUMNS),
            excluded=", ".join(f"excluded.{column}" for column in _COLUMNS),
            distinct="IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT",
        ),
        wanted_params,
    )
    return changed + max(cursor.rowcount, 0)


def _counts_add(cursor, added, removed):
    """Прибавить added и вычесть removed (Counter по ключам счётчиков); нулевые счётчики удалить."""
    delta = Counter(added)
    delta.subtract(removed)
    rows = [(*key, value) for key, value in sorted(delta.items()) if value]
    if not rows:
        return
    # Пачками: у SQLite предел числа параметров запроса (32 766).
    for start in range(0, len(rows), _COUNTS_BATCH):
        batch = rows[start : start + _COUNTS_BATCH]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
        cursor.execute(
            "INSERT INTO catalog_categoryfacetcount (category_id, region_id, kind, key, count) "  # noqa: S608
            f"VALUES {values} ON CONFLICT (category_id, region_id, kind, key) "
            "DO UPDATE SET count = catalog_categoryfacetcount.count + excluded.count",
            [value for row in batch for value in row],
        )
    categories, params = sql_in("category_id", sorted({row[0] for row in rows}))
    cursor.execute(f"DELETE FROM catalog_categoryfacetcount WHERE count = 0 AND {categories}", params)  # noqa: S608
