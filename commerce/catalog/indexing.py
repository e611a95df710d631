"""Пересчёт денормализованных таблиц фильтров: ProductCategoryIndex и ProductChoiceIndex.

Категории товара в индексе — основная и дополнительные вместе со всеми предками (предок
в materialized path — префикс пути), так что «товары категории с подкатегориями» — это
одно индексное полусоединение по category_id, без обхода дерева. Значения — атрибуты-списки
товара и его активных вариантов. SQL переносим (PostgreSQL и SQLite).
"""

from django.db import connection


def sql_in(column, product_ids):
    """Вернуть условие «column IN (...)» с плейсхолдерами и параметры (или истину для всех)."""
    if product_ids is None:
        return "1 = 1", []
    return f"{column} IN ({', '.join(['%s'] * len(product_ids))})", list(product_ids)


def product_index_refresh(*, product_ids=None):
    """Пересчитать индексы категорий и значений у товаров (всех, если product_ids не задан).

    Четыре запроса на любое число товаров; вызывается из Product.save/Variant.save, сигналов,
    services.category_move и после массовой загрузки (bench, обмен с 1С).
    """
    if product_ids is not None:
        product_ids = sorted({pk for pk in product_ids if pk is not None})
        if not product_ids:
            return
    with connection.cursor() as cursor:
        where, params = sql_in("product_id", product_ids)
        cursor.execute(f"DELETE FROM catalog_productcategoryindex WHERE {where}", params)  # noqa: S608
        where, params = sql_in("p.id", product_ids)
        cursor.execute(
            f"""
            INSERT INTO catalog_productcategoryindex (category_id, product_id)
            SELECT DISTINCT ancestor.id, own_categories.product_id
            FROM (
                SELECT p.id AS product_id, p.main_category_id AS category_id
                FROM catalog_product AS p WHERE {where}
                UNION
                SELECT extra.product_id, extra.category_id
                FROM catalog_product_extra_categories AS extra
                JOIN catalog_product AS p ON p.id = extra.product_id WHERE {where}
            ) AS own_categories
            JOIN catalog_category AS own ON own.id = own_categories.category_id
            JOIN catalog_category AS ancestor
              ON ancestor.path = substr(own.path, 1, length(ancestor.path)) AND ancestor.depth <= own.depth
            """,  # noqa: S608 — в строку подставлены только плейсхолдеры
            params + params,
        )
        where, params = sql_in("product_id", product_ids)
        cursor.execute(f"DELETE FROM catalog_productchoiceindex WHERE {where}", params)  # noqa: S608
        where_product, params = sql_in("pav.product_id", product_ids)
        where_variant, variant_params = sql_in("v.product_id", product_ids)
        cursor.execute(
            f"""
            INSERT INTO catalog_productchoiceindex (choice_id, product_id)
            SELECT pav.choice_id, pav.product_id FROM catalog_productattributevalue AS pav
            WHERE pav.choice_id IS NOT NULL AND {where_product}
            UNION
            SELECT vav.choice_id, v.product_id FROM catalog_variantattributevalue AS vav
            JOIN catalog_variant AS v ON v.id = vav.variant_id
            WHERE v.is_active AND vav.choice_id IS NOT NULL AND {where_variant}
            """,  # noqa: S608
            params + variant_params,
        )
