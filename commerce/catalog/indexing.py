"""Пересчёт денормализованных таблиц фильтров: ProductCategoryIndex и ProductChoiceIndex.

Категории товара в индексе — основная и дополнительные вместе со всеми предками (предок
в materialized path — префикс пути), так что «товары категории с подкатегориями» — это
одно индексное полусоединение по category_id, без обхода дерева. Значения — атрибуты-списки
товара и его активных вариантов. SQL переносим (PostgreSQL и SQLite).

Пересчёт разностный: нужный набор пар считается запросом, затем удаляются лишние пары и
добавляются недостающие (ON CONFLICT DO NOTHING по уникальному индексу пары). Пары, которые
не изменились (а при импорте цен и остатков это все пары), не удаляются и не вставляются
заново: нет мёртвых версий строк, правок индексов и проверок внешних ключей при фиксации.
"""

from django.db import connection


def sql_in(column, product_ids):
    """Вернуть условие «column входит в product_ids» с плейсхолдерами и параметры (или истину для всех).

    На PostgreSQL список передаётся одним параметром-массивом (= ANY): текст запроса не растёт
    с числом товаров, и его не приходится связывать с десятками тысяч плейсхолдеров.
    """
    if product_ids is None:
        return "1 = 1", []
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(product_ids)]
    return f"{column} IN ({', '.join(['%s'] * len(product_ids))})", list(product_ids)


# Нужные пары (категория, товар): основная и дополнительные категории с предками.
_CATEGORY_PAIRS = """
    SELECT DISTINCT ancestor.id AS category_id, own_categories.product_id AS product_id
    FROM (
        SELECT p.id AS product_id, p.main_category_id AS category_id
        FROM catalog_product AS p WHERE {products}
        UNION
        SELECT extra.product_id, extra.category_id
        FROM catalog_product_extra_categories AS extra WHERE {extra}
    ) AS own_categories
    JOIN catalog_category AS own ON own.id = own_categories.category_id
    JOIN catalog_category AS ancestor
      ON ancestor.path = substr(own.path, 1, length(ancestor.path)) AND ancestor.depth <= own.depth
"""
# Нужные пары (значение, товар): атрибуты-списки товара и его активных вариантов.
_CHOICE_PAIRS = """
    SELECT pav.choice_id AS choice_id, pav.product_id AS product_id
    FROM catalog_productattributevalue AS pav
    WHERE pav.choice_id IS NOT NULL AND {products}
    UNION
    SELECT vav.choice_id, v.product_id FROM catalog_variantattributevalue AS vav
    JOIN catalog_variant AS v ON v.id = vav.variant_id
    WHERE v.is_active AND vav.choice_id IS NOT NULL AND {variants}
"""


def product_index_refresh(*, product_ids=None):
    """Пересчитать индексы категорий и значений у товаров (всех, если product_ids не задан).

    Четыре запроса на любое число товаров; вызывается из Product.save/Variant.save, сигналов,
    services.category_move и после массовой загрузки (bench, обмен с 1С).
    """
    if product_ids is not None:
        product_ids = sorted({pk for pk in product_ids if pk is not None})
        if not product_ids:
            return
    # category_offers импортирует этот модуль (sql_in): импорт здесь разрывает цикл.
    from commerce.catalog.category_offers import category_offers_tracked

    # Категории и значения товара меняют его строки CategoryOffer и счётчики категорий.
    with category_offers_tracked(product_ids=product_ids) as tracker, connection.cursor() as cursor:
        products, params = sql_in("p.id", product_ids)
        extra, extra_params = sql_in("extra.product_id", product_ids)
        _pairs_sync(
            cursor,
            table="catalog_productcategoryindex",
            key="category_id",
            pairs=_CATEGORY_PAIRS.format(products=products, extra=extra),
            pairs_params=params + extra_params,
            product_ids=product_ids,
        )
        products, params = sql_in("pav.product_id", product_ids)
        variants, variant_params = sql_in("v.product_id", product_ids)
        tracker.facets_dirty = _pairs_sync(
            cursor,
            table="catalog_productchoiceindex",
            key="choice_id",
            pairs=_CHOICE_PAIRS.format(products=products, variants=variants),
            pairs_params=params + variant_params,
            product_ids=product_ids,
        )


def _pairs_sync(cursor, *, table, key, pairs, pairs_params, product_ids):
    """Привести пары (key, product_id) таблицы товаров product_ids к запросу pairs.

    Возвращает True, если что-то удалено или добавлено.
    """
    where, params = sql_in(f"{table}.product_id", product_ids)
    cursor.execute(
        f"DELETE FROM {table} WHERE {where} AND NOT EXISTS ("  # noqa: S608 — имена из кода, значения — параметры
        f"SELECT 1 FROM ({pairs}) AS wanted "
        f"WHERE wanted.{key} = {table}.{key} AND wanted.product_id = {table}.product_id)",
        params + pairs_params,
    )
    changed = cursor.rowcount > 0
    # Не «WHERE NOT EXISTS (SELECT ... FROM table)»: таблица растёт в том же запросе, и при
    # статистике «пусто» (импорт в пустой каталог) планировщик выбирает вложенный цикл, который
    # на каждую пару перечитывает всё, что запрос уже вставил, — квадратичное время. Уникальный
    # индекс (key, product_id) отвечает на тот же вопрос одним поиском на пару. «WHERE 1 = 1»
    # нужен SQLite: без WHERE он принимает ON CONFLICT за условие соединения.
    cursor.execute(
        f"INSERT INTO {table} ({key}, product_id) "  # noqa: S608
        f"SELECT wanted.{key}, wanted.product_id FROM ({pairs}) AS wanted WHERE 1 = 1 "
        f"ON CONFLICT ({key}, product_id) DO NOTHING",
        pairs_params,
    )
    return changed or cursor.rowcount > 0
