"""Пересчёт предложений товаров по регионам (catalog.ProductOffer) из товаров, цен и остатков.

Цена варианта в регионе — из прайс-листа региона, иначе из базового. Предложение товара —
самый дешёвый вариант с ценой, а среди них в первую очередь те, что есть в наличии на
активных складах региона; при равной цене — вариант с меньшим id, чтобы пересчёт
давал один и тот же результат при любом порядке строк. Таблица читается списком товаров; источник правды — pricing и
inventory. SQL переносим (PostgreSQL и SQLite ≥ 3.25: оконные функции и upsert).
"""

from django.db import connection

from commerce.catalog.indexing import sql_in as _where

_REFRESH_SQL = """
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
ON CONFLICT (product_id, region_id) DO UPDATE SET
    price = excluded.price, old_price = excluded.old_price, currency = excluded.currency,
    available_quantity = excluded.available_quantity, in_stock = excluded.in_stock,
    name = excluded.name, slug = excluded.slug, brand_id = excluded.brand_id,
    popularity = excluded.popularity, created_at = excluded.created_at, is_active = excluded.is_active
"""


def product_offer_refresh(*, product_ids=None):
    """Пересчитать предложения товаров во всех регионах (всех товаров, если product_ids не задан).

    Один запрос на любое число товаров. У каждого товара в каждом регионе ровно одна строка:
    товар без активных вариантов или без цены получает строку с пустой ценой (недоступен),
    поэтому список может читать только эту таблицу. Вызывается при изменении товаров, цен,
    остатков, вариантов, складов, прайс-листов и регионов; массовая загрузка вызывает его один
    раз в конце.
    """
    if product_ids is not None:
        product_ids = sorted({pk for pk in product_ids if pk is not None})
        if not product_ids:
            return
    with connection.cursor() as cursor:
        where, params = _where("p.id", product_ids)
        cursor.execute(_REFRESH_SQL.format(where=where), params)
