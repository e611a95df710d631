"""Пересчёт предложений товаров по регионам (catalog.ProductOffer) из товаров, цен и остатков.

Цена варианта в регионе — из прайс-листа региона, иначе из базового. Предложение товара —
самый дешёвый вариант с ценой, а среди них в первую очередь те, что есть в наличии на
активных складах региона; при равной цене — вариант с меньшим id, чтобы пересчёт давал один
и тот же результат при любом порядке строк. Таблица читается списком товаров; источник
правды — pricing и inventory.

Два текста запроса с одним смыслом. На PostgreSQL остатки сначала суммируются по паре
(вариант, регион) одним GROUP BY и присоединяются хеш-соединением (а не подзапросом на
каждую пару вариант × регион), список товаров передаётся массивом, а строка предложения
переписывается, только если в ней что-то изменилось (ON CONFLICT ... DO UPDATE ... WHERE
... IS DISTINCT FROM): полный пересчёт неизменного каталога не плодит мёртвых версий строк,
WAL и правок индексов. Переносимый текст (SQLite ≥ 3.25: оконные функции и upsert) — для
встроенного варианта `make run`; неизменные строки он тоже не переписывает (IS NOT).

Пересчёт по остаткам и ценам (сигналы inventory.Stock и pricing.VariantPrice — оформление
заказа, резервы, правки в админке) откладывается до фиксации транзакции и идёт один раз на
все её товары: см. ``product_offer_refresh_on_commit``.
"""

import weakref
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from commerce.catalog import price_hooks
from commerce.catalog.cache import catalog_cache_invalidate_stock
from commerce.catalog.category_offers import category_offers_tracked
from commerce.catalog.indexing import sql_in
from commerce.catalog.models import Variant

# Столбцы предложения, которые пишет пересчёт (кроме ключа product_id, region_id).
_OFFER_COLUMNS = (
    "price",
    "old_price",
    "currency",
    "available_quantity",
    "in_stock",
    "name",
    "slug",
    "brand_id",
    "popularity",
    "created_at",
    "is_active",
)
_ASSIGNMENTS = ", ".join(f"{column} = excluded.{column}" for column in _OFFER_COLUMNS)
_OFFER_ROW = ", ".join(f"catalog_productoffer.{column}" for column in _OFFER_COLUMNS)
_EXCLUDED_ROW = ", ".join(f"excluded.{column}" for column in _OFFER_COLUMNS)

_PORTABLE_SQL = """
WITH variant_offer AS (
    SELECT p.id AS product_id, v.id AS variant_id, r.id AS region_id,
           COALESCE(rp.price, bp.price) AS price,
           CASE WHEN rp.price IS NOT NULL THEN rp.old_price ELSE bp.old_price END AS old_price,
           CASE WHEN rp.price IS NOT NULL THEN rpl.currency WHEN bp.price IS NOT NULL THEN bpl.currency
                ELSE '' END AS currency,
           COALESCE((
               SELECT SUM(st.quantity - st.reserved)
               FROM inventory_stock AS st
               JOIN inventory_warehouse AS w ON w.id = st.warehouse_id
               WHERE st.variant_id = v.id AND w.region_id = r.id AND w.is_active
           ), 0) AS available
    FROM catalog_product AS p
    CROSS JOIN regions_region AS r
    LEFT JOIN catalog_variant AS v ON v.product_id = p.id AND v.is_active
    LEFT JOIN pricing_pricelist AS rpl ON rpl.region_id = r.id AND rpl.is_active
    LEFT JOIN pricing_variantprice AS rp ON rp.variant_id = v.id AND rp.price_list_id = rpl.id
    LEFT JOIN pricing_pricelist AS bpl ON bpl.region_id IS NULL AND bpl.is_active
    LEFT JOIN pricing_variantprice AS bp ON bp.variant_id = v.id AND bp.price_list_id = bpl.id
    WHERE {where}
"""

# PostgreSQL: {products} — условие на catalog_product p, {variants} — на catalog_variant v,
# {stocks} — на inventory_stock st (для всего каталога все три — «1 = 1»).
_POSTGRESQL_SQL = """
WITH stock AS (
    -- Доступно варианта в регионе: одна агрегация вместо подзапроса на каждую пару.
    SELECT st.variant_id, w.region_id, SUM(st.quantity - st.reserved) AS available
    FROM inventory_stock AS st
    JOIN inventory_warehouse AS w ON w.id = st.warehouse_id AND w.is_active
    WHERE {stocks}
    GROUP BY st.variant_id, w.region_id
), variant_offer AS (
    SELECT p.id AS product_id, v.id AS variant_id, r.id AS region_id,
           COALESCE(rp.price, bp.price) AS price,
           CASE WHEN rp.price IS NOT NULL THEN rp.old_price ELSE bp.old_price END AS old_price,
           CASE WHEN rp.price IS NOT NULL THEN rpl.currency WHEN bp.price IS NOT NULL THEN bpl.currency
                ELSE '' END AS currency,
           COALESCE(s.available, 0) AS available
    FROM catalog_product AS p
    CROSS JOIN regions_region AS r
    -- Товар без активных вариантов тоже получает строку: с пустой ценой.
    LEFT JOIN catalog_variant AS v ON v.product_id = p.id AND v.is_active
    LEFT JOIN pricing_pricelist AS rpl ON rpl.region_id = r.id AND rpl.is_active
    LEFT JOIN pricing_variantprice AS rp ON rp.variant_id = v.id AND rp.price_list_id = rpl.id
    LEFT JOIN pricing_pricelist AS bpl ON bpl.region_id IS NULL AND bpl.is_active
    LEFT JOIN pricing_variantprice AS bp ON bp.variant_id = v.id AND bp.price_list_id = bpl.id
    LEFT JOIN stock AS s ON s.variant_id = v.id AND s.region_id = r.id
    WHERE {products}
"""

# Строку, в которой ничего не изменилось, не переписывать: сравнение строк с учётом NULL
# (IS DISTINCT FROM на PostgreSQL; IS NOT — то же сравнение строк-значений в SQLite ≥ 3.15).
_UNCHANGED_ROWS_KEPT_SQL = """
WHERE ({offer_row}) {distinct} ({excluded_row})
"""

# Общий хвост обоих текстов: лучший вариант товара в регионе и запись предложения.
_RANKED_UPSERT_SQL = """
), ranked AS (
    SELECT product_id, region_id, price, old_price, currency,
           SUM(CASE WHEN price IS NOT NULL AND available > 0 THEN available ELSE 0 END)
               OVER (PARTITION BY product_id, region_id) AS available_quantity,
           ROW_NUMBER() OVER (
               PARTITION BY product_id, region_id
               ORDER BY CASE WHEN price IS NULL THEN 1 ELSE 0 END,
                        CASE WHEN available > 0 THEN 0 ELSE 1 END, price,
                        -- при равной цене — вариант с меньшим id: пересчёт детерминирован
                        variant_id
           ) AS position
    FROM variant_offer
)
INSERT INTO catalog_productoffer (
    product_id, region_id, price, old_price, currency, available_quantity, in_stock,
    name, slug, brand_id, popularity, created_at, is_active
)
SELECT ranked.product_id, ranked.region_id, ranked.price, ranked.old_price, ranked.currency,
       ranked.available_quantity,
       CASE WHEN ranked.price IS NOT NULL AND ranked.available_quantity > 0 THEN TRUE ELSE FALSE END,
       p.name, p.slug, p.brand_id, p.popularity, p.created_at, p.is_active
FROM ranked JOIN catalog_product AS p ON p.id = ranked.product_id
WHERE ranked.position = 1
ON CONFLICT (product_id, region_id) DO UPDATE SET {assignments}
"""


def product_offer_refresh(*, product_ids=None):
    """Пересчитать предложения товаров во всех регионах (всех товаров, если product_ids не задан).

    Один запрос на любое число товаров. У каждого товара в каждом регионе ровно одна строка:
    товар без активных вариантов или без цены получает строку с пустой ценой (недоступен),
    поэтому список может читать только эту таблицу. Строка, в которой ничего не изменилось,
    не переписывается. Вместе с предложениями — CategoryOffer и счётчики категорий.
    Вызывается при изменении товаров, вариантов, складов,
    прайс-листов и регионов; массовая загрузка вызывает его один раз в конце.
    """
    if product_ids is not None:
        product_ids = sorted({pk for pk in product_ids if pk is not None})
        if not product_ids:
            return
    # Предложения по категориям и счётчики категорий — в той же транзакции (category_offers);
    # скидки каталога (commerce.promotions) ложатся на цены прайс-листов внутри того же учёта,
    # чтобы CategoryOffer (сортировка и фильтр по цене в категории) видел цену со скидкой.
    with category_offers_tracked(product_ids=product_ids):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(*_postgresql_statement(product_ids))
            else:
                cursor.execute(*_portable_statement(product_ids))
        price_hooks.offers_refreshed(product_ids=product_ids)


def _portable_statement(product_ids):
    """Переносимый текст пересчёта (SQLite для `make run`) и его параметры."""
    where, params = sql_in("p.id", product_ids)
    sql = (_PORTABLE_SQL + _RANKED_UPSERT_SQL + _UNCHANGED_ROWS_KEPT_SQL).format(
        where=where,
        assignments=_ASSIGNMENTS,
        offer_row=_OFFER_ROW,
        excluded_row=_EXCLUDED_ROW,
        # PostgreSQL не сравнивает строки через IS NOT; переносимый текст на нём — эталон в тестах.
        distinct="IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM",
    )
    return sql, params


def _postgresql_statement(product_ids):
    """Текст пересчёта для PostgreSQL (остатки одной агрегацией, неизменные строки не пишутся) и параметры."""
    sql = (_POSTGRESQL_SQL + _RANKED_UPSERT_SQL + _UNCHANGED_ROWS_KEPT_SQL).format(
        products="1 = 1" if product_ids is None else "p.id = ANY(%(ids)s)",
        stocks="1 = 1"
        if product_ids is None
        else "st.variant_id IN (SELECT id FROM catalog_variant WHERE product_id = ANY(%(ids)s))",
        assignments=_ASSIGNMENTS,
        offer_row=_OFFER_ROW,
        excluded_row=_EXCLUDED_ROW,
        distinct="IS DISTINCT FROM",
    )
    return sql, ({} if product_ids is None else {"ids": product_ids})


# Отложенный пересчёт: глубина вложенных блоков и id, ждущие фиксации, — по соединению с базой
# (у каждого потока своё соединение, у каждого соединения — своя транзакция).
_deferred = weakref.WeakKeyDictionary()


class _Deferred:
    __slots__ = ("depth", "product_ids", "variant_ids")

    def __init__(self):
        self.depth = 0
        self.product_ids = set()
        self.variant_ids = set()


def _deferred_state():
    wrapper = connections[DEFAULT_DB_ALIAS]
    state = _deferred.get(wrapper)
    if state is None:
        state = _deferred[wrapper] = _Deferred()
    return wrapper, state


@contextmanager
def product_offer_refresh_deferred():
    """Отложить пересчёт предложений по ценам и остаткам до фиксации транзакции (блок with).

    Оформление заказа сохраняет строку остатка на каждый зарезервированный вариант, и пересчёт
    на каждое сохранение (сигнал) шёл бы внутри транзакции, пока строки остатков заблокированы.
    Внутри блока сигналы остатков и цен только запоминают варианты (без запросов), а после
    COMMIT один пересчёт охватывает все товары транзакции. Откат транзакции отменяет и
    пересчёт: предложения не меняются, как и данные. Вне транзакции (autocommit) пересчёт идёт
    сразу по выходе из блока. Блоки можно вкладывать; пересчёт ставит внешний.

    Пересчёт после фиксации блокирует строки предложений своих товаров (по порядку id) и только
    затем читает цены и остатки: два параллельных пересчёта одного товара идут друг за другом,
    и последним пишет тот, кто видел все зафиксированные изменения, — старый снимок не затрёт
    новый. Ошибка пересчёта после фиксации не отменяет заказ: она пишется в журнал
    (on_commit robust), а предложение исправит следующий пересчёт товара.

    Правки вне блока (админка, интеграции, тесты) пересчитывают предложения сразу, как раньше.
    """
    wrapper, state = _deferred_state()
    state.depth += 1
    try:
        yield
    finally:
        state.depth -= 1
        if state.depth == 0:
            # Даже при исключении: если вызывающий поймал его и транзакция всё же фиксируется,
            # записанное до исключения должно попасть в предложения; при откате обработчик
            # on_commit просто не вызовется.
            product_ids, variant_ids = set(state.product_ids), set(state.variant_ids)
            state.product_ids.clear()
            state.variant_ids.clear()
            if product_ids or variant_ids:
                if wrapper.in_atomic_block:
                    transaction.on_commit(lambda: _deferred_flush(product_ids, variant_ids), robust=True)
                else:
                    _deferred_flush(product_ids, variant_ids)


def product_offer_refresh_variants(*, variant_ids):
    """Пересчитать предложения товаров этих вариантов: сразу или, внутри отложенного блока, после фиксации.

    Возвращает True, если пересчёт отложен: тогда и кэш витрины сбросит он сам (узко).
    """
    variant_ids = {pk for pk in variant_ids if pk is not None}
    _wrapper, state = _deferred_state()
    if state.depth:
        state.variant_ids |= variant_ids
        return True
    if variant_ids:
        product_offer_refresh(product_ids=_variant_products(variant_ids))
    return False


def _variant_products(variant_ids):
    return set(Variant.objects.filter(pk__in=variant_ids).values_list("product_id", flat=True))


# Столбцы предложения, видимые в списке и фасетах (остаток в штуках виден только в карточке).
_LIST_VISIBLE_SQL = (
    "SELECT product_id, region_id, price, old_price, currency, in_stock, is_active, discount_label "
    "FROM catalog_productoffer WHERE {products} ORDER BY product_id, region_id"
)
# SQLite: пустая запись берёт блокировку записи всей базы до конца транзакции — тот же порядок
# «сначала блокировка, потом чтение», что FOR UPDATE на PostgreSQL.
_SQLITE_WRITE_LOCK_SQL = "UPDATE catalog_productoffer SET product_id = product_id WHERE 1 = 0"


def _deferred_flush(product_ids, variant_ids):
    """Пересчитать отложенные товары в своей транзакции, заблокировав их предложения по порядку id.

    Кэш витрины сбрасывается узко: версия остатков (карточки) — всегда, версия предложений
    (списки, фасеты) — только если у предложений изменились цена или наличие.
    """
    with transaction.atomic():
        product_ids = sorted(set(product_ids) | (_variant_products(variant_ids) if variant_ids else set()))
        if not product_ids:
            return
        products, params = sql_in("product_id", product_ids)
        visible = _LIST_VISIBLE_SQL.format(products=products)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(visible + " FOR UPDATE", params)
            else:
                cursor.execute(_SQLITE_WRITE_LOCK_SQL)
                cursor.execute(visible, params)
            before = cursor.fetchall()
            product_offer_refresh(product_ids=product_ids)
            cursor.execute(visible, params)
            offers_changed = cursor.fetchall() != before
    # Версии кэша витрины — после пересчёта: ответ, собранный до него, больше не читается.
    catalog_cache_invalidate_stock(offers_changed=offers_changed)
