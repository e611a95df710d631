"""Эталон («предел») для `make bench`: голый WSGI, psycopg и orjson, один SQL-запрос на ответ.

Отвечает на те же запросы списка товаров с фильтром категории и карточки товара, что и API
каталога, в той же форме JSON (насколько это разумно без изображений и фасетов), но без
фреймворка: ни Django, ни DRF, ни middleware, ни кэша — только один написанный руками
запрос и сериализация orjson. Это самое быстрое, что можно выжать из этих данных в этой базе
на Python; отношение нашего API к нему и есть цель бенчмарка (≥ 50 % без кэша, ≥ 90 % из кэша).

Запускается тем же gunicorn с теми же настройками (2 воркера, sync), что и проект::

    DATABASE_URL=postgres://... gunicorn --workers 2 --bind 127.0.0.1:8766 \
        --pythonpath bench reference_server:application

Поддержаны: GET /api/v1/catalog/products/?category=<slug>&sort=price&page=N&page_size=N,
GET /api/v1/catalog/products/<slug>/, GET /api/health/; регион — заголовок X-Region
(без него — регион по умолчанию).
"""

import math
import os
import threading
from urllib.parse import parse_qsl

import orjson
import psycopg
from psycopg.types.json import set_json_loads

LIST_PREFIX = "/api/v1/catalog/products/"

# Лучший простой SQL для того же ответа на тех же таблицах, что читает API: страница — диапазон
# индекса предложений по категориям (catalog_categoryoffer: категория, регион, ключ сортировки)
# до LIMIT, поля строк страницы — из ProductOffer по ключу, число строк — поддерживаемый
# счётчик категории (catalog_categoryfacetcount, вид 1). Запрос подготовленный (prepare=True).
LIST_SQL = """
WITH region AS (
    SELECT id, currency FROM regions_region
    WHERE code = %(region)s OR (%(region)s = '' AND is_default) ORDER BY is_default DESC LIMIT 1
), category AS (
    SELECT id FROM catalog_category WHERE slug = %(category)s AND is_active
), page AS (
    SELECT o.product_id, o.name, o.brand_id, o.price, o.in_stock, o.popularity
    FROM catalog_categoryoffer AS o
    WHERE o.category_id = (SELECT id FROM category) AND o.region_id = (SELECT id FROM region)
    ORDER BY {order}
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT o.product_id, po.slug, o.name, b.slug, b.name, o.price::text, po.old_price::text, po.currency, o.in_stock,
       COALESCE((SELECT c.count FROM catalog_categoryfacetcount AS c
                 WHERE c.category_id = (SELECT id FROM category) AND c.region_id = (SELECT id FROM region)
                   AND c.kind = 1 AND c.key = 0), 0),
       (SELECT currency FROM region)
FROM page AS o
JOIN catalog_productoffer AS po ON po.product_id = o.product_id AND po.region_id = (SELECT id FROM region)
LEFT JOIN catalog_brand AS b ON b.id = o.brand_id AND b.is_active
ORDER BY {order}
"""
LIST_ORDER = {
    "price": "o.price ASC NULLS LAST, o.product_id",
    "-price": "o.price DESC NULLS LAST, o.product_id",
    "name": "o.name, o.product_id",
    "popular": "o.popularity DESC, o.product_id",
}

# Одна выборка: товар, бренд, хлебные крошки, атрибуты и варианты с ценой и остатком региона
# собираются в JSON самой базой.
DETAIL_SQL = """
WITH region AS (
    SELECT id, currency FROM regions_region
    WHERE code = %(region)s OR (%(region)s = '' AND is_default) ORDER BY is_default DESC LIMIT 1
)
SELECT p.id, p.slug, p.name, p.description, p.seo_title, p.seo_description, b.slug, b.name, p.updated_at,
       (SELECT currency FROM region),
       (SELECT json_agg(json_build_object('slug', a.slug, 'name', a.name) ORDER BY a.depth)
          FROM catalog_category AS c
          JOIN catalog_category AS a ON a.path = substr(c.path, 1, length(a.path))
         WHERE c.id = p.main_category_id),
       (SELECT json_agg(json_build_object(
                   'code', at.code, 'name', at.name, 'type', at.type, 'unit', at.unit,
                   'value', COALESCE(ch.value, NULLIF(pav.value_text, ''), trim_scale(pav.value_number)::text,
                                     pav.value_boolean::text),
                   'label', ch.label) ORDER BY pav.sort_order, at.id)
          FROM catalog_productattributevalue AS pav
          JOIN catalog_attribute AS at ON at.id = pav.attribute_id
          LEFT JOIN catalog_attributechoice AS ch ON ch.id = pav.choice_id
         WHERE pav.product_id = p.id),
       (SELECT json_agg(json_build_object(
                   'id', v.id, 'sku', v.sku, 'barcode', v.barcode, 'name', v.name,
                   'attributes', COALESCE((
                       SELECT json_agg(json_build_object(
                                  'code', at.code, 'name', at.name, 'type', at.type, 'unit', at.unit,
                                  'value', COALESCE(ch.value, NULLIF(vav.value_text, ''),
                                                    trim_scale(vav.value_number)::text, vav.value_boolean::text),
                                  'label', ch.label) ORDER BY vav.sort_order, at.id)
                         FROM catalog_variantattributevalue AS vav
                         JOIN catalog_attribute AS at ON at.id = vav.attribute_id
                         LEFT JOIN catalog_attributechoice AS ch ON ch.id = vav.choice_id
                        WHERE vav.variant_id = v.id), '[]'::json),
                   'price', price.price::text, 'old_price', price.old_price::text, 'currency', price.currency,
                   'available', COALESCE(stock.available, 0),
                   'weight_grams', v.weight_grams,
                   'dimensions_mm', json_build_object('length', v.length_mm, 'width', v.width_mm,
                                                      'height', v.height_mm)
               ) ORDER BY v.sort_order, v.id)
          FROM catalog_variant AS v
          LEFT JOIN LATERAL (
              SELECT vp.price, vp.old_price, pl.currency
                FROM pricing_variantprice AS vp
                JOIN pricing_pricelist AS pl ON pl.id = vp.price_list_id AND pl.is_active
               WHERE vp.variant_id = v.id AND (pl.region_id = (SELECT id FROM region) OR pl.region_id IS NULL)
               ORDER BY pl.region_id NULLS LAST LIMIT 1
          ) AS price ON TRUE
          LEFT JOIN LATERAL (
              SELECT SUM(st.quantity - st.reserved) AS available
                FROM inventory_stock AS st
                JOIN inventory_warehouse AS w ON w.id = st.warehouse_id AND w.is_active
               WHERE st.variant_id = v.id AND w.region_id = (SELECT id FROM region)
          ) AS stock ON TRUE
         WHERE v.product_id = p.id AND v.is_active)
FROM catalog_product AS p
LEFT JOIN catalog_brand AS b ON b.id = p.brand_id AND b.is_active
WHERE p.slug = %(slug)s AND p.is_active
"""

_local = threading.local()


def _connection():
    """Вернуть соединение процесса (создаётся после fork воркера, живёт всё время)."""
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
        connection = psycopg.connect(url, autocommit=True)
        set_json_loads(orjson.loads, connection)
        _local.connection = connection
    return connection


def _json(start_response, status, data):
    body = orjson.dumps(data)
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body))), ("Connection", "close")]
    )
    return [body]


def _int(value, default, maximum):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, 1), maximum)


def product_list(params, region):
    """Страница списка товаров категории — один запрос."""
    sort = params.get("sort", "popular")
    page = _int(params.get("page"), 1, 100_000)
    page_size = _int(params.get("page_size"), 24, 100)
    query = LIST_SQL.format(order=LIST_ORDER.get(sort, LIST_ORDER["popular"]))
    arguments = {
        "region": region,
        "category": params.get("category", ""),
        "limit": page_size,
        "offset": (page - 1) * page_size,
    }
    rows = _connection().execute(query, arguments, prepare=True).fetchall()
    count = rows[0][9] if rows else 0
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "num_pages": math.ceil(count / page_size) if count else 0,
        "sort": sort,
        "currency": rows[0][10] if rows else None,
        "results": [
            {
                "id": row[0],
                "slug": row[1],
                "name": row[2],
                "brand": {"slug": row[3], "name": row[4]} if row[3] else None,
                "price": row[5],
                "old_price": row[6],
                "currency": row[7] or None,
                "is_available": bool(row[8]) and row[5] is not None,
                "image": None,
            }
            for row in rows
        ],
    }


def product_detail(slug, region):
    """Карточка товара — один запрос; None, если товара нет."""
    row = _connection().execute(DETAIL_SQL, {"region": region, "slug": slug}, prepare=True).fetchone()
    if row is None:
        return None
    variants = []
    for variant in row[12] or []:
        price = variant.pop("price")
        available = max(int(variant.pop("available") or 0), 0)
        variant.update(
            price=price,
            available_quantity=available if price is not None else 0,
            is_available=price is not None and available > 0,
        )
        variants.append(variant)
    priced = [item for item in variants if item["price"] is not None]
    cheapest = min(priced, key=lambda item: (not item["is_available"], float(item["price"])), default=None)
    return {
        "id": row[0],
        "slug": row[1],
        "name": row[2],
        "description": row[3],
        "seo": {"title": row[4] or row[2], "description": row[5]},
        "brand": {"slug": row[6], "name": row[7]} if row[6] else None,
        "breadcrumbs": row[10] or [],
        "price": cheapest["price"] if cheapest else None,
        "old_price": cheapest["old_price"] if cheapest else None,
        "currency": (cheapest["currency"] if cheapest else None) or row[9],
        "is_available": any(item["is_available"] for item in variants),
        "attributes": row[11] or [],
        "variants": variants,
        "images": [],
        "updated_at": row[8].isoformat(),
    }


def application(environ, start_response):
    """WSGI-приложение эталона."""
    path = environ.get("PATH_INFO", "")
    region = environ.get("HTTP_X_REGION", "")
    if path == "/api/health/":
        return _json(start_response, "200 OK", {"status": "ok"})
    if path == LIST_PREFIX:
        params = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        return _json(start_response, "200 OK", product_list(params, region))
    if path.startswith(LIST_PREFIX) and path.endswith("/") and path.count("/") == 6:
        data = product_detail(path[len(LIST_PREFIX) : -1], region)
        if data is not None:
            return _json(start_response, "200 OK", data)
    return _json(start_response, "404 Not Found", {"detail": "not found"})
