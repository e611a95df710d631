"""Шаг импорта «запись»: изменения пачки (ChunkState) → несколько команд на таблицу.

На PostgreSQL — COPY во временные таблицы и по одной команде на таблицу (staging), на SQLite
встроенного варианта — многострочные VALUES. permissions_needed говорит, записи каких моделей
делает пачка: по ним проверяются права подтвердившего импорт.
"""

from django.db import connection

from commerce.catalog.models import Product, Variant
from commerce.exchange import permissions as exchange_permissions
from commerce.exchange import staging
from commerce.exchange.import_diff import ref_id

MAX_PARAMS = 60000

PRODUCT_STAGE = (
    ("name", "text"),
    ("slug", "text"),
    ("main_category_id", "bigint"),
    ("brand_id", "bigint"),
    ("description", "text"),
)
PRODUCT_UPDATE_STAGE = (
    ("id", "bigint"),
    ("name", "text"),
    ("description", "text"),
    ("main_category_id", "bigint"),
    ("brand_id", "bigint"),
)
VARIANT_STAGE = (("sku", "text"), ("barcode", "text"), ("name", "text"), ("product_id", "bigint"))
VARIANT_UPDATE_STAGE = (("id", "bigint"), ("barcode", "text"), ("name", "text"))
PRICE_STAGE = (("variant_id", "bigint"), ("price_list_id", "bigint"), ("price", "numeric"), ("old_price", "numeric"))
STOCK_STAGE = (("variant_id", "bigint"), ("warehouse_id", "bigint"), ("quantity", "integer"))
ATTR_VALUE_STAGE = (
    ("attribute_id", "bigint"),
    ("choice_id", "bigint"),
    ("value_text", "text"),
    ("value_number", "numeric"),
    ("value_boolean", "boolean"),
)
# Таблицы, которые импорт наполняет и читает в одной транзакции (см. chunk_write и
# CatalogImporter._statistics_refresh).
IMPORT_TABLES = (
    "catalog_product",
    "catalog_variant",
    "pricing_variantprice",
    "inventory_stock",
    "catalog_variantattributevalue",
    "catalog_productattributevalue",
)


def permissions_needed(state):
    """Вернуть коды прав моделей, записи которых делает пачка: по ним проверяются права подтвердившего."""
    needed_codes = set()
    for needed, code in (
        (state.new_products, exchange_permissions.ADD_PRODUCT),
        (
            state.product_updates or state.product_attr_upserts or state.product_attr_deletes,
            exchange_permissions.CHANGE_PRODUCT,
        ),
        (state.new_variants, exchange_permissions.ADD_VARIANT),
        (state.variant_updates or state.attr_upserts or state.attr_deletes, exchange_permissions.CHANGE_VARIANT),
        (state.price_upserts or state.price_deletes, exchange_permissions.CHANGE_PRICE),
        (state.stock_upserts, exchange_permissions.CHANGE_STOCK),
    ):
        if needed:
            needed_codes.add(code)
    return needed_codes


def chunk_write(state):
    """Записать изменения пачки в текущей транзакции (точке сохранения пачки)."""
    if connection.vendor == "postgresql":
        _chunk_write_copy(state)
    else:
        _chunk_write_values(state)
        # В SQLite нет SET CONSTRAINTS: внешние ключи отложены до COMMIT. Проверить их здесь,
        # в точке сохранения пачки, — нарушение откатит пачку, и построчный повтор назовёт
        # строку, как на PostgreSQL (см. CatalogImporter.run). PRAGMA foreign_key_check читает
        # таблицы целиком, что для каталога встроенного варианта (сотни товаров) ничего не стоит.
        connection.check_constraints(table_names=IMPORT_TABLES)


def _chunk_write_copy(state):
    """Записать пачку в PostgreSQL: COPY во временные таблицы и по команде на таблицу."""
    with connection.cursor() as cursor:
        if state.new_products:
            ids = staging.insert_returning(
                cursor,
                Product,
                "exchange_stage_product",
                PRODUCT_STAGE,
                [
                    (f["name"], f["slug"], f["main_category_id"], f["brand_id"], f["description"])
                    for f in (ref.fields for ref in state.new_products.values())
                ],
                key="slug",
            )
            for ref in state.new_products.values():
                ref.pk = ids[ref.fields["slug"]]
                state.touched_products.add(ref.pk)
        if state.product_updates:
            staging.update_from(
                cursor,
                "catalog_product",
                "exchange_stage_product_update",
                PRODUCT_UPDATE_STAGE,
                [
                    (pk, row["name"], row["description"], row["main_category_id"], row["brand_id"])
                    for pk, row in state.product_updates.items()
                ],
                extra_set="updated_at = CURRENT_TIMESTAMP",
            )
        if state.new_variants:
            rows = []
            for variant_ref, product_ref in state.new_variants:
                product_id = ref_id(product_ref)
                state.touched_products.add(product_id)
                fields = variant_ref.fields
                rows.append((fields["sku"], fields["barcode"], fields["name"], product_id))
            ids = staging.insert_returning(cursor, Variant, "exchange_stage_variant", VARIANT_STAGE, rows, key="sku")
            for variant_ref, _product_ref in state.new_variants:
                variant_ref.pk = ids[variant_ref.fields["sku"]]
        if state.variant_updates:
            staging.update_from(
                cursor,
                "catalog_variant",
                "exchange_stage_variant_update",
                VARIANT_UPDATE_STAGE,
                [(pk, row["barcode"], row["name"]) for pk, row in state.variant_updates.items()],
            )
            state.touched_products.update(row["product_id"] for row in state.variant_updates.values())
        if state.price_deletes:
            staging.delete_pairs(
                cursor,
                "pricing_variantprice",
                "exchange_stage_price_delete",
                (("variant_id", "bigint"), ("price_list_id", "bigint")),
                [(ref_id(v), k) for v, k in state.price_deletes],
            )
        if state.price_upserts:
            staging.upsert_from(
                cursor,
                "pricing_variantprice",
                "exchange_stage_price",
                PRICE_STAGE,
                [(ref_id(v), k, price, old) for (v, k), (price, old) in state.price_upserts.items()],
                conflict=("variant_id", "price_list_id"),
                update=("price", "old_price"),
            )
        if state.stock_upserts:
            staging.upsert_from(
                cursor,
                "inventory_stock",
                "exchange_stage_stock",
                STOCK_STAGE,
                [(ref_id(v), k, quantity) for (v, k), quantity in state.stock_upserts.items()],
                conflict=("variant_id", "warehouse_id"),
                update=("quantity",),
                constants=(("reserved", 0),),
            )
        for table, owner, upserts, deletes in (
            ("catalog_variantattributevalue", "variant_id", state.attr_upserts, state.attr_deletes),
            ("catalog_productattributevalue", "product_id", state.product_attr_upserts, state.product_attr_deletes),
        ):
            if deletes:
                staging.delete_pairs(
                    cursor,
                    table,
                    f"exchange_stage_{owner}_attr_delete",
                    ((owner, "bigint"), ("attribute_id", "bigint")),
                    [(ref_id(o), k) for o, k in deletes],
                )
            if upserts:
                staging.upsert_from(
                    cursor,
                    table,
                    f"exchange_stage_{owner}_attr",
                    ((owner, "bigint"), *ATTR_VALUE_STAGE),
                    [(ref_id(o), k, *value) for (o, k), value in upserts.items()],
                    conflict=(owner, "attribute_id"),
                    update=("choice_id", "value_text", "value_number", "value_boolean"),
                )


def _chunk_write_values(state):
    """Записать пачку многострочными VALUES (SQLite для `make run`; PostgreSQL идёт через COPY)."""
    if state.new_products:
        products = [Product(**ref.fields) for ref in state.new_products.values()]
        Product.objects.bulk_create(products, batch_size=500)
        for ref, product in zip(state.new_products.values(), products, strict=True):
            ref.pk = product.pk
            state.touched_products.add(product.pk)
    if state.product_updates:
        _values_update(
            "catalog_product",
            [
                (pk, row["name"], row["description"], row["main_category_id"], row["brand_id"])
                for pk, row in state.product_updates.items()
            ],
            columns=("name", "description", "main_category_id", "brand_id"),
            casts=("text", "text", "bigint", "bigint"),
            extra_set="updated_at = CURRENT_TIMESTAMP",
        )
    if state.new_variants:
        variants = []
        for variant_ref, product_ref in state.new_variants:
            variants.append(Variant(product_id=ref_id(product_ref), **variant_ref.fields))
            state.touched_products.add(ref_id(product_ref))
        Variant.objects.bulk_create(variants, batch_size=500)
        for (variant_ref, _ref), variant in zip(state.new_variants, variants, strict=True):
            variant_ref.pk = variant.pk
    if state.variant_updates:
        _values_update(
            "catalog_variant",
            [(pk, row["barcode"], row["name"]) for pk, row in state.variant_updates.items()],
            columns=("barcode", "name"),
            casts=("varchar", "text"),
        )
        state.touched_products.update(row["product_id"] for row in state.variant_updates.values())
    if state.price_deletes:
        _pairs_delete(
            "pricing_variantprice", "variant_id", "price_list_id", [(ref_id(v), k) for v, k in state.price_deletes]
        )
    if state.price_upserts:
        _values_upsert(
            "pricing_variantprice",
            ("variant_id", "price_list_id", "price", "old_price"),
            [(ref_id(v), k, price, old) for (v, k), (price, old) in state.price_upserts.items()],
            conflict=("variant_id", "price_list_id"),
            update=("price", "old_price"),
        )
    if state.stock_upserts:
        _values_upsert(
            "inventory_stock",
            ("variant_id", "warehouse_id", "quantity", "reserved"),
            [(ref_id(v), k, quantity, 0) for (v, k), quantity in state.stock_upserts.items()],
            conflict=("variant_id", "warehouse_id"),
            update=("quantity",),
        )
    for table, owner, upserts, deletes in (
        ("catalog_variantattributevalue", "variant_id", state.attr_upserts, state.attr_deletes),
        ("catalog_productattributevalue", "product_id", state.product_attr_upserts, state.product_attr_deletes),
    ):
        if deletes:
            _pairs_delete(table, owner, "attribute_id", [(ref_id(o), k) for o, k in deletes])
        if upserts:
            _values_upsert(
                table,
                (owner, "attribute_id", "choice_id", "value_text", "value_number", "value_boolean"),
                [(ref_id(o), k, *value) for (o, k), value in upserts.items()],
                conflict=(owner, "attribute_id"),
                update=("choice_id", "value_text", "value_number", "value_boolean"),
            )


def _batches(rows, width):
    size = max(MAX_PARAMS // max(width, 1), 1)
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _values_update(table, rows, *, columns, casts, extra_set=""):
    """UPDATE table SET ... FROM (VALUES ...) — одна команда на тысячи строк (PostgreSQL и SQLite 3.33+)."""
    names = ", ".join(("id", *columns))
    assignments = [f"{column} = CAST(v.{column} AS {cast})" for column, cast in zip(columns, casts, strict=True)]
    if extra_set:
        assignments.append(extra_set)
    placeholder = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    with connection.cursor() as cursor:
        for batch in _batches(rows, len(columns) + 1):
            values = ", ".join([placeholder] * len(batch))
            sql = (
                f"WITH v ({names}) AS (VALUES {values}) "  # noqa: S608 — имена из кода, значения — параметры
                f"UPDATE {table} SET {', '.join(assignments)} FROM v WHERE {table}.id = CAST(v.id AS bigint)"
            )
            cursor.execute(sql, [value for row in batch for value in row])


def _values_upsert(table, columns, rows, *, conflict, update):
    """INSERT ... ON CONFLICT DO UPDATE для многих строк одной командой."""
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    assignments = ", ".join(f"{column} = excluded.{column}" for column in update)
    with connection.cursor() as cursor:
        for batch in _batches(rows, len(columns)):
            values = ", ".join([placeholder] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "  # noqa: S608
                f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {assignments}",
                [value for row in batch for value in row],
            )


def _pairs_delete(table, first, second, pairs):
    with connection.cursor() as cursor:
        for batch in _batches(list(pairs), 2):
            condition = " OR ".join([f"({first} = %s AND {second} = %s)"] * len(batch))
            cursor.execute(f"DELETE FROM {table} WHERE {condition}", [value for pair in batch for value in pair])  # noqa: S608
