"""Сгенерировать реалистичный каталог для бенчмарка: COPY в PostgreSQL за минуты.

При BENCH_SCALE=1 (по умолчанию): 100 000 товаров, ~250 000 вариантов, 5 регионов, 10 складов,
1 010 категорий (10 × 10 × 9), 200 брендов, атрибуты (цвет, размер — списки; память — число;
NFC — да/нет), базовые и региональные цены, остатки. BENCH_SCALE=0.1 — десятая часть товаров.

Запуск (отдельная база, не рабочая!):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/megashop_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/megashop_bench BENCH_SCALE=1 \
        .venv/bin/python bench/catalog_generate.py
Таблицы каталога, цен и остатков очищаются (TRUNCATE) — запускать только на базе для бенчмарка.
"""

import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from commerce.catalog.cache import catalog_cache_invalidate  # noqa: E402
from commerce.catalog.indexing import product_index_refresh  # noqa: E402
from commerce.catalog.models import Category  # noqa: E402
from commerce.catalog.offers import product_offer_refresh  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
PRODUCTS = max(int(100_000 * SCALE), 100)
SEED = int(os.environ.get("BENCH_SEED", "42"))
# Товаров на одну загрузку COPY: при BENCH_SCALE=10 списки строк всего каталога (15 млн кортежей)
# заняли бы гигабайты памяти; по частям — те же строки в том же порядке генератора случайных чисел.
CHUNK_PRODUCTS = 100_000
# Секунды шагов последней генерации (от начала): их пишет отчёт `make bench` и sizing.md.
STEPS = {}
REGIONS = [
    ("msk", "Москва"),
    ("spb", "Санкт-Петербург"),
    ("kzn", "Казань"),
    ("ekb", "Екатеринбург"),
    ("nsk", "Новосибирск"),
]
COLORS = ["black", "white", "red", "blue", "green", "grey", "silver", "gold", "pink", "yellow", "brown", "purple"]
SIZES = ["xs", "s", "m", "l", "xl", "xxl", "3xl", "4xl"]
WORDS = [
    "Смартфон",
    "Ноутбук",
    "Планшет",
    "Телевизор",
    "Наушники",
    "Куртка",
    "Футболка",
    "Кроссовки",
    "Чайник",
    "Пылесос",
]

TABLES = [
    # Без внешних ключей (db_constraint=False): TRUNCATE ... CASCADE их не очистит сам.
    "catalog_categoryoffer",
    "catalog_categoryfacetcount",
    "catalog_productoffer",
    "catalog_productcategoryindex",
    "catalog_productchoiceindex",
    "inventory_stock",
    "pricing_variantprice",
    "catalog_variantattributevalue",
    "catalog_productattributevalue",
    "catalog_productimage",
    "catalog_variant",
    "catalog_product_extra_categories",
    "catalog_product",
    "catalog_categoryattribute",
    "catalog_category",
    "catalog_attributechoice",
    "catalog_attribute",
    "catalog_brand",
    "inventory_warehouse",
    "pricing_pricelist",
    "catalog_externalid",
]


def copy(table, columns, rows):
    """Загрузить строки в таблицу через COPY (psycopg 3)."""
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as pipe:
        for row in rows:
            pipe.write_row(row)


def step(message, started):
    seconds = time.monotonic() - started
    STEPS[message.split(" (")[0]] = round(seconds, 1)
    print(f"  {message}: {seconds:.1f} с", flush=True)


def generate():
    """Очистить таблицы каталога и загрузить сгенерированный каталог; вернуть секунды шагов (STEPS)."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        sys.exit("Генератор работает только с PostgreSQL (COPY).")
    rng = random.Random(SEED)
    started = time.monotonic()
    print(f"Генерация: {PRODUCTS} товаров (BENCH_SCALE={SCALE}) в {settings.DATABASES['default']['NAME']}")
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    from regions.models import Region

    regions = []
    for index, (code, name) in enumerate(REGIONS):
        region = Region.objects.filter(code=code).first() or Region.objects.create(
            code=code, name=name, is_default=not Region.objects.filter(is_default=True).exists(), sort_order=index
        )
        regions.append(region)
    now = datetime.now(UTC)

    # Прайс-листы: базовый (id 1) и по одному на регион; склады: по два на регион.
    copy(
        "pricing_pricelist",
        ["id", "code", "name", "region_id", "currency", "is_active"],
        [(1, "base", "Базовый", None, "RUB", True)]
        + [(2 + i, f"{r.code}-retail", f"Розница {r.name}", r.id, r.currency, True) for i, r in enumerate(regions)],
    )
    warehouses = [
        (i * 2 + k + 1, f"{r.code}-{k}", f"Склад {r.name} {k}", r.id, "", True, 0)
        for i, r in enumerate(regions)
        for k in range(2)
    ]
    copy("inventory_warehouse", ["id", "code", "name", "region_id", "address", "is_active", "sort_order"], warehouses)

    # Категории: 10 корней × 10 детей × 9 внуков, пути treebeard.
    categories, leaves, roots = [], [], []
    next_id = 1

    def add(path, depth, numchild, name):
        nonlocal next_id
        categories.append((next_id, path, depth, numchild, name, f"cat-{next_id}", "", None, True, "", ""))
        next_id += 1
        return next_id - 1

    for r in range(1, 11):
        root_path = Category._get_path(None, 1, r)
        roots.append(add(root_path, 1, 10, f"Раздел {r}"))
        for c in range(1, 11):
            child_path = Category._get_path(root_path, 2, c)
            add(child_path, 2, 9, f"Категория {r}.{c}")
            for g in range(1, 10):
                leaves.append(add(Category._get_path(child_path, 3, g), 3, 0, f"Подкатегория {r}.{c}.{g}"))
    copy(
        "catalog_category",
        [
            "id",
            "path",
            "depth",
            "numchild",
            "name",
            "slug",
            "description",
            "image_id",
            "is_active",
            "seo_title",
            "seo_description",
        ],
        categories,
    )
    copy(
        "catalog_brand",
        ["id", "name", "slug", "description", "logo_id", "is_active"],
        [(i, f"Бренд {i}", f"brand-{i}", "", None, True) for i in range(1, 201)],
    )
    copy(
        "catalog_attribute",
        ["id", "code", "name", "type", "unit", "is_filterable", "sort_order"],
        [
            (1, "color", "Цвет", "choice", "", True, 1),
            (2, "size", "Размер", "choice", "", True, 2),
            (3, "memory", "Память", "number", "ГБ", True, 3),
            (4, "nfc", "NFC", "boolean", "", True, 4),
        ],
    )
    choices = [(i + 1, 1, value, value.title(), i) for i, value in enumerate(COLORS)]
    choices += [(len(COLORS) + i + 1, 2, value, value.upper(), i) for i, value in enumerate(SIZES)]
    copy("catalog_attributechoice", ["id", "attribute_id", "value", "label", "sort_order"], choices)
    copy(
        "catalog_categoryattribute",
        ["id", "category_id", "attribute_id", "sort_order"],
        [(i * 4 + a, root, a, a) for i, root in enumerate(roots) for a in range(1, 5)],
    )
    step("справочники", started)

    for first in range(1, PRODUCTS + 1, CHUNK_PRODUCTS):
        _products_copy(rng, now, leaves, range(first, min(first + CHUNK_PRODUCTS, PRODUCTS + 1)))
    step("товары", started)

    counts = [0, 0, 0]  # последние id варианта, цены и остатка
    for first in range(1, PRODUCTS + 1, CHUNK_PRODUCTS):
        _variants_copy(rng, counts, range(first, min(first + CHUNK_PRODUCTS, PRODUCTS + 1)))
    step(f"варианты ({counts[0]}), цены ({counts[1]}), остатки ({counts[2]})", started)

    with connection.cursor() as cursor:
        # Последовательности id — только у таблиц со столбцом id (у CategoryOffer ключ составной).
        cursor.execute(
            "SELECT table_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND column_name = 'id' AND table_name = ANY(%s)",
            [TABLES],
        )
        with_id = {row[0] for row in cursor.fetchall()}
        for table in [table for table in TABLES if table in with_id]:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"  # noqa: S608 — имена таблиц из константы
            )
    product_index_refresh()
    step("индексы категорий и значений", started)
    product_offer_refresh()
    step("предложения по регионам", started)
    with connection.cursor() as cursor:
        # Как сделал бы autovacuum вскоре после загрузки: статистика для планировщика и карта
        # видимости, без которой COUNT по частичным индексам списка не обходится без таблицы.
        cursor.execute("VACUUM (ANALYZE)")
    step("VACUUM (ANALYZE)", started)
    with transaction.atomic():
        catalog_cache_invalidate(structure=True)
    step("готово", started)
    return dict(STEPS)


def _products_copy(rng, now, leaves, ids):
    """Сгенерировать и загрузить товары ids (и их значение «память»); rng — общий генератор набора."""
    products, product_values = [], []
    for pid in ids:
        created = now - timedelta(minutes=rng.randrange(0, 525_600))
        products.append(
            (
                pid,
                f"{rng.choice(WORDS)} модель {pid}",
                f"product-{pid}",
                "",
                rng.randrange(1, 201),
                rng.choice(leaves),
                True,
                rng.randrange(0, 10_000),
                created,
                created,
                "",
                "",
            )
        )
        product_values.append((pid, pid, 3, None, "", rng.choice([64, 128, 256, 512]), None, 0))
    copy(
        "catalog_product",
        [
            "id",
            "name",
            "slug",
            "description",
            "brand_id",
            "main_category_id",
            "is_active",
            "popularity",
            "created_at",
            "updated_at",
            "seo_title",
            "seo_description",
        ],
        products,
    )
    copy(
        "catalog_productattributevalue",
        ["id", "product_id", "attribute_id", "choice_id", "value_text", "value_number", "value_boolean", "sort_order"],
        product_values,
    )


def _variants_copy(rng, counts, ids):
    """Сгенерировать и загрузить варианты товаров ids с ценами и остатками; counts — последние id (меняется)."""

    variants, variant_values, prices, stocks = [], [], [], []
    vid, price_id, stock_id = counts
    for pid in ids:
        base = rng.randrange(300, 150_000)
        for index in range(rng.choice((2, 2, 3, 3))):  # в среднем 2,5 варианта
            vid += 1
            variants.append((vid, pid, f"SKU-{vid:07d}", None, "", None, None, None, None, True, index))
            variant_values.append((vid, vid, 1, rng.randrange(1, len(COLORS) + 1), "", None, None, 0))
            price = base + index * 100
            price_id += 1
            old = price + rng.randrange(100, 5000) if rng.random() < 0.2 else None
            prices.append((price_id, vid, 1, price, old))
            for list_id in (2, 3):  # региональные цены Москвы и Петербурга у половины вариантов
                if rng.random() < 0.5:
                    price_id += 1
                    prices.append((price_id, vid, list_id, round(price * rng.uniform(0.9, 1.1)), None))
            for warehouse_id in rng.sample(range(1, 11), 2):
                stock_id += 1
                quantity = rng.choice((0, 0, 1, 3, 10, 50))
                stocks.append((stock_id, vid, warehouse_id, quantity, min(quantity, rng.choice((0, 0, 1)))))
    copy(
        "catalog_variant",
        [
            "id",
            "product_id",
            "sku",
            "barcode",
            "name",
            "weight_grams",
            "length_mm",
            "width_mm",
            "height_mm",
            "is_active",
            "sort_order",
        ],
        variants,
    )
    copy(
        "catalog_variantattributevalue",
        ["id", "variant_id", "attribute_id", "choice_id", "value_text", "value_number", "value_boolean", "sort_order"],
        variant_values,
    )
    copy("pricing_variantprice", ["id", "variant_id", "price_list_id", "price", "old_price"], prices)
    copy("inventory_stock", ["id", "variant_id", "warehouse_id", "quantity", "reserved"], stocks)
    counts[:] = [vid, price_id, stock_id]


if __name__ == "__main__":
    generate()
