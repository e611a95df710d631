"""Предложения по категориям и счётчики категорий остаются точными после любых правок, импортов и заказов.

Сверка — с COUNT по свежим данным, посчитанным здесь из исходных таблиц (индекс категорий,
предложения, индекс значений), а не из поддерживаемых таблиц.
"""

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import ProtectedError

from commerce.catalog.category_offers import DELTA_MAX_PRODUCTS, category_counts_recount
from commerce.catalog.models import (
    CategoryFacetCount,
    CategoryOffer,
    Product,
    ProductAttributeValue,
    Variant,
    VariantAttributeValue,
)
from commerce.catalog.offers import product_offer_refresh
from commerce.inventory.models import Stock
from commerce.payments.models import RegionPaymentProvider
from commerce.pricing.models import VariantPrice
from tests.commerce.orders.helpers import cart_create, checkout_request
from tests.factories.exchange import import_apply, xlsx_bytes

pytestmark = pytest.mark.django_db

_FRESH_ROWS_SQL = """
SELECT pci.category_id, o.region_id, o.product_id, o.price, o.in_stock, o.brand_id, o.popularity, o.name
FROM catalog_productcategoryindex AS pci JOIN catalog_productoffer AS o ON o.product_id = pci.product_id
WHERE o.is_active
"""
_FRESH_COUNTS_SQL = """
SELECT pci.category_id, o.region_id, 0, o.brand_id, COUNT(*) FROM catalog_productcategoryindex AS pci
JOIN catalog_productoffer AS o ON o.product_id = pci.product_id
WHERE o.is_active AND o.brand_id IS NOT NULL GROUP BY pci.category_id, o.region_id, o.brand_id
UNION ALL
SELECT pci.category_id, o.region_id, 1, 0, COUNT(*) FROM catalog_productcategoryindex AS pci
JOIN catalog_productoffer AS o ON o.product_id = pci.product_id
WHERE o.is_active GROUP BY pci.category_id, o.region_id
UNION ALL
SELECT pci.category_id, o.region_id, 2, 0, COUNT(*) FROM catalog_productcategoryindex AS pci
JOIN catalog_productoffer AS o ON o.product_id = pci.product_id
WHERE o.is_active AND o.in_stock GROUP BY pci.category_id, o.region_id
UNION ALL
SELECT pci.category_id, o.region_id, 3, pchi.choice_id, COUNT(*) FROM catalog_productcategoryindex AS pci
JOIN catalog_productoffer AS o ON o.product_id = pci.product_id
JOIN catalog_productchoiceindex AS pchi ON pchi.product_id = o.product_id
WHERE o.is_active GROUP BY pci.category_id, o.region_id, pchi.choice_id
"""


def _fetch(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _normalized(rows):
    # SQLite отдаёт деньги сырого курсора как float, флаги — как 0/1.
    return sorted(
        (*row[:3], None if row[3] is None else Decimal(str(row[3])).quantize(Decimal("0.01")), bool(row[4]), *row[5:])
        for row in rows
    )


def assert_maintained_equal_fresh(context=""):
    """Строки CategoryOffer и все счётчики совпадают с подсчётом по свежим данным."""
    maintained_rows = CategoryOffer.objects.values_list(
        "category_id", "region_id", "product_id", "price", "in_stock", "brand_id", "popularity", "name"
    )
    assert _normalized(maintained_rows) == _normalized(_fetch(_FRESH_ROWS_SQL)), context
    maintained_counts = sorted(
        CategoryFacetCount.objects.values_list("category_id", "region_id", "kind", "key", "count")
    )
    assert maintained_counts == sorted(tuple(row) for row in _fetch(_FRESH_COUNTS_SQL)), context


def _import_file(rng, number):
    """Файл импорта: новый товар в случайной категории и новая цена существующего варианта."""
    header = ["sku", "slug", "name", "category", "brand", "attr:color", "price:base", "stock:msk-1"]
    category = rng.choice(["Электроника / Смартфоны", "Электроника / Ноутбуки", "Одежда"])
    rows = [
        header,
        [f"IMP-{number}", f"imported-{number}", f"Импорт {number}", category, rng.choice(["Acme", "Globex"]),
         rng.choice(["black", "white"]), str(rng.randint(100, 5000)), rng.choice([0, 3])],
    ]  # fmt: skip
    existing = Variant.objects.order_by("?").first()
    if existing is not None:
        rows.append(
            [existing.sku, existing.product.slug, existing.product.name, "", "", "", str(rng.randint(100, 5000)), ""]
        )
    return xlsx_bytes(rows)


def _order(world, variant):
    """Оформить заказ одного доступного варианта в Москве (резерв меняет остаток и наличие)."""
    for code in ("test", "cash_on_delivery"):
        RegionPaymentProvider.objects.get_or_create(region=world.msk, provider=code)
    cart = cart_create(region=world.msk, lines=[(variant, 1)])
    return checkout_request(cart=cart)


def _edit(rng, world, step):
    """Одна случайная правка через обычные пути записи: модели и сигналы, импорт, оформление заказа."""
    products = list(Product.objects.order_by("id"))
    product = rng.choice(products)
    variant = product.variants.order_by("id").first()
    action = rng.choice(
        [
            "price",
            "stock",
            "active",
            "brand",
            "move",
            "extra",
            "choice",
            "create",
            "delete",
            "import",
            "order",
            "variant_off",
        ]
    )
    if action == "price" and variant is not None:
        price, _created = VariantPrice.objects.get_or_create(
            variant=variant, price_list=world.base_list, defaults={"price": Decimal("1")}
        )
        price.price = Decimal(rng.randint(1, 100_000))
        price.save()
    elif action == "stock" and variant is not None:
        stock, _created = Stock.objects.get_or_create(variant=variant, warehouse=world.msk_warehouse)
        stock.quantity = max(stock.reserved, rng.choice([0, 0, 1, 7]))
        stock.save()
    elif action == "active":
        product.is_active = not product.is_active
        product.save()
    elif action == "brand":
        product.brand = rng.choice([world.acme, world.globex, None])
        product.save()
    elif action == "move":
        product.main_category = rng.choice([world.phones, world.laptops, world.clothes, world.electronics])
        product.save()
    elif action == "extra":
        category = rng.choice([world.phones, world.laptops, world.clothes])
        if product.extra_categories.filter(pk=category.pk).exists():
            product.extra_categories.remove(category)
        else:
            product.extra_categories.add(category)
    elif action == "choice" and variant is not None:
        value = VariantAttributeValue.objects.filter(variant=variant, attribute=world.color).first()
        if value is None:
            VariantAttributeValue.objects.create(
                variant=variant, attribute=world.color, choice=rng.choice([world.black, world.white])
            )
        else:
            value.delete()
    elif action == "create":
        world.product(
            f"Новый {step}",
            f"new-{step}",
            rng.choice([world.phones, world.laptops, world.clothes]),
            rng.choice([world.acme, world.globex, None]),
            str(rng.randint(100, 10_000)),
            color=rng.choice([world.black, world.white, None]),
            stock=rng.choice([0, 2]),
        )
    elif action == "delete" and len(products) > 3:
        try:
            product.delete()
        except ProtectedError:
            action = "delete refused"  # у товара есть заказы: админка тоже откажет
    elif action == "import":
        job = import_apply(_import_file(rng, step))
        assert not job.errors, job.errors
    elif action == "order" and variant is not None and product.is_active:
        _order(world, variant)
    elif action == "variant_off" and variant is not None:
        variant.is_active = not variant.is_active
        variant.save()
    return action


def test_maintained_category_counts_equal_fresh_count_after_random_edits_imports_and_orders(catalog):
    # given: каталог общих фикстур, таблицы уже поддержаны его созданием
    assert_maintained_equal_fresh()
    rng = random.Random(31)
    done = set()
    for step in range(60):
        # when: случайная правка
        action = _edit(rng, catalog, step)
        done.add(action)
        # then: поддерживаемые строки и счётчики равны свежему подсчёту
        assert_maintained_equal_fresh(f"шаг {step}: {action}")
    assert {"price", "stock", "move", "import", "order", "delete", "choice"} <= done


def test_bulk_refresh_recounts_and_equals_fresh_count(catalog):
    # given: счётчики испорчены (как после ручной правки базы)
    CategoryFacetCount.objects.all().delete()

    # when: массовый пересчёт всего каталога (импорт, смена региона) и пересчёт счётчиков
    product_offer_refresh()
    category_counts_recount()

    # then
    assert_maintained_equal_fresh()


def test_recount_fixes_wrong_and_stale_counters_and_keeps_correct_ones_in_place(catalog):
    # given: один счётчик с неверным числом, один лишний (такого бренда в категории нет), один пропал
    counters = list(CategoryFacetCount.objects.order_by("category_id", "region_id", "kind", "key"))
    wrong, missing, kept = counters[0], counters[1], counters[2:]
    CategoryFacetCount.objects.filter(pk=wrong.pk).update(count=wrong.count + 5)
    CategoryFacetCount.objects.filter(pk=missing.pk).delete()
    CategoryFacetCount.objects.create(
        category_id=wrong.category_id, region_id=wrong.region_id, kind=CategoryFacetCount.KIND_BRAND, key=10**6, count=3
    )
    versions = _counter_versions(kept)

    # when
    category_counts_recount()

    # then: всё снова равно свежему подсчёту, а верные счётчики не переписаны (та же версия строки)
    assert_maintained_equal_fresh()
    assert _counter_versions(kept) == versions


def _counter_versions(counters):
    """Вернуть версии строк счётчиков: ctid на PostgreSQL, rowid на SQLite (он не меняется при UPDATE)."""
    column = "ctid::text" if connection.vendor == "postgresql" else "rowid"
    versions = []
    with connection.cursor() as cursor:
        for counter in counters:
            cursor.execute(
                f"SELECT {column} FROM catalog_categoryfacetcount"  # noqa: S608 — имя столбца из кода
                " WHERE category_id = %s AND region_id = %s AND kind = %s AND key = %s",
                [counter.category_id, counter.region_id, counter.kind, counter.key],
            )
            versions.append(cursor.fetchone()[0])
    return versions


def test_large_product_set_takes_the_recount_path_and_stays_exact(catalog):
    # given: больше товаров, чем считает приращениями один пересчёт
    ids = list(Product.objects.values_list("id", flat=True)) + list(range(10**6, 10**6 + DELTA_MAX_PRODUCTS))
    Product.objects.filter(pk=catalog.phone_black.pk).update(brand=catalog.globex)
    ProductAttributeValue.objects.filter(product=catalog.laptop).delete()

    # when
    product_offer_refresh(product_ids=ids)

    # then
    assert_maintained_equal_fresh()


def test_category_list_count_and_facets_come_from_counters(catalog, client, settings, django_assert_num_queries):
    # given: счётчик категории испорчен нарочно — ответ обязан прийти из него, а не из COUNT
    settings.CATALOG_CACHE_TIMEOUT = 0
    client.get("/api/v1/catalog/products/", {"category": "phones"}, HTTP_X_REGION="msk")  # снимок структуры
    CategoryFacetCount.objects.filter(
        category=catalog.electronics, region=catalog.msk, kind=CategoryFacetCount.KIND_TOTAL
    ).update(count=777)

    # when
    with django_assert_num_queries(1):
        listed = client.get("/api/v1/catalog/products/", {"category": "electronics"}, HTTP_X_REGION="msk").json()
    facets = client.get("/api/v1/catalog/products/facets/", {"category": "electronics"}, HTTP_X_REGION="msk").json()
    filtered = client.get(
        "/api/v1/catalog/products/", {"category": "electronics", "price_max": "1000000"}, HTTP_X_REGION="msk"
    ).json()

    # then: без фильтров — счётчик, с фильтром цены — подсчёт по диапазону категории
    assert listed["count"] == 777
    assert facets["count"] == 777
    assert filtered["count"] == 3


def test_facets_give_numeric_ranges_for_current_filter(catalog, client):
    # when
    everything = client.get("/api/v1/catalog/products/facets/", {"category": "electronics"}, HTTP_X_REGION="msk")
    phones = client.get(
        "/api/v1/catalog/products/facets/", {"category": "electronics", "brand": "globex"}, HTTP_X_REGION="msk"
    )

    # then
    assert everything.status_code == 200, everything.content
    assert everything.json()["ranges"] == [
        {"code": "diagonal", "name": "Диагональ", "unit": "дюйм", "min": "6.1", "max": "15.6"}
    ]
    assert phones.json()["ranges"] == [
        {"code": "diagonal", "name": "Диагональ", "unit": "дюйм", "min": "6.7", "max": "6.7"}
    ]
