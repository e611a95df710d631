"""Шаг импорта «сверка»: пачка разобранных строк против базы → записи пачки (ChunkState).

existing_load читает из базы всё, что нужно пачке, несколькими запросами с массивами id;
row_diff сравнивает строку с прочитанным, проверяет правила, которые зависят от базы (старая
цена больше цены, остаток не меньше резерва, штрихкод свободен), и складывает изменения в
ChunkState. Запись — шаг import_write.
"""

from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _

from commerce.catalog.indexing import sql_in
from commerce.catalog.models import Product
from commerce.exchange import error_codes, sheet_format
from commerce.exchange.import_rows import RowRejected
from commerce.exchange.lookups import slug_from_text, slug_unique
from commerce.exchange.sheet_format import CLEAR

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
REJECTED = "rejected"


class Pending:
    """Новый объект пачки: поля до записи и id, который появится после INSERT."""

    __slots__ = ("fields", "pk")

    def __init__(self, fields):
        self.fields = fields
        self.pk = None


def ref_id(ref):
    """Вернуть id по ссылке: число или Pending после записи."""
    return ref if isinstance(ref, int) else ref.pk


class ChunkState:
    """Изменения пачки: собираются при сверке, пишутся вместе; в общий итог — после успеха."""

    def __init__(self):
        self.new_products = {}  # ключ товара → Product (id появится после bulk_create)
        self.product_updates = {}  # id → {поле: значение}
        self.new_variants = []  # (Variant, ссылка на товар: id или Product)
        self.variant_updates = {}  # id → {поле: значение}
        self.price_upserts = {}  # (variant_ref, price_list_id) → (price, old_price)
        self.price_deletes = set()
        self.stock_upserts = {}
        self.attr_upserts = {}  # (variant_ref, attribute_id) → значение
        self.attr_deletes = set()
        self.product_attr_upserts = {}
        self.product_attr_deletes = set()
        self.touched_products = set()
        # Товары (id или Pending), у которых изменилось то, из чего строятся индексы фильтров
        # (категория, атрибуты) и предложения (цены, остатки, название, бренд).
        self.index_refs = set()
        self.offer_refs = set()
        # ...и у которых изменились поля товара или варианта: их документы поиска (вместе с index_refs).
        self.search_refs = set()
        self.outcomes = []
        self.applied_products = set()
        self.new_barcodes = {}
        self.reserved_slugs = set()


def existing_load(rows, *, header, lookup):
    """Прочитать из базы всё, что нужно сверке пачки: несколько запросов с массивами id."""
    skus = [row.sku for row in rows]
    slugs = list({row.product_key[1] for row in rows if row.product_key and row.product_key[0] == "slug"})
    names = {row.product["name"] for row in rows if row.product_key and row.product_key[0] == "name"}
    barcodes = [row.barcode for row in rows if row.barcode and row.barcode != CLEAR]
    product_columns = "id, slug, name, description, brand_id, main_category_id"
    product_keys = ("id", "slug", "name", "description", "brand_id", "main_category_id")
    with connection.cursor() as cursor:
        variants = {
            row[1]: dict(zip(("id", "sku", "barcode", "name", "product_id"), row, strict=True))
            for row in _fetch(
                cursor, "SELECT id, sku, barcode, name, product_id FROM catalog_variant WHERE {}", ("sku", skus)
            )
        }
        product_ids = list({variant["product_id"] for variant in variants.values()})
        products = {
            row[0]: dict(zip(product_keys, row, strict=True))
            for row in _fetch(
                cursor,
                f"SELECT {product_columns} FROM catalog_product WHERE {{}} OR {{}}",  # noqa: S608
                ("id", product_ids),
                ("slug", slugs),
            )
        }
        by_slug = {row["slug"]: row for row in products.values()}
        barcode_owners = (
            dict(_fetch(cursor, "SELECT barcode, sku FROM catalog_variant WHERE {}", ("barcode", barcodes)))
            if barcodes
            else {}
        )
        variant_ids = [variant["id"] for variant in variants.values()]
        header = header
        prices = {}
        if variant_ids and (header.prices or header.old_prices):
            list_ids = list({lookup.price_lists[key]["id"] for key in [*header.prices, *header.old_prices]})
            for variant_id, list_id, price, old_price in _fetch(
                cursor,
                "SELECT variant_id, price_list_id, price, old_price FROM pricing_variantprice WHERE {} AND {}",
                ("variant_id", variant_ids),
                ("price_list_id", list_ids),
            ):
                prices[variant_id, list_id] = (_decimal(price), _decimal(old_price))
        stocks = {}
        if variant_ids and header.stocks:
            warehouse_ids = [lookup.warehouses[key]["id"] for key in header.stocks]
            for variant_id, warehouse_id, quantity, reserved in _fetch(
                cursor,
                "SELECT variant_id, warehouse_id, quantity, reserved FROM inventory_stock WHERE {} AND {}",
                ("variant_id", variant_ids),
                ("warehouse_id", warehouse_ids),
            ):
                stocks[variant_id, warehouse_id] = (quantity, reserved)
        attrs = {}
        if variant_ids and header.attrs:
            attribute_ids = [lookup.attributes[key]["id"] for key in header.attrs]
            for item in _fetch(
                cursor,
                "SELECT variant_id, attribute_id, choice_id, value_text, value_number, value_boolean "
                "FROM catalog_variantattributevalue WHERE {} AND {}",
                ("variant_id", variant_ids),
                ("attribute_id", attribute_ids),
            ):
                attrs[item[0], item[1]] = _attribute_value(item[2:])
    by_name = {}
    if names:
        for row in Product.objects.filter(name__in=names).values(*product_keys):
            products[row["id"]] = row
            by_name.setdefault(sheet_format.text_normalize(row["name"]), []).append(row)
    product_attrs = {}
    if header.product_attrs and products:
        attribute_ids = [lookup.attributes[key]["id"] for key in header.product_attrs]
        with connection.cursor() as cursor:
            for item in _fetch(
                cursor,
                "SELECT product_id, attribute_id, choice_id, value_text, value_number, value_boolean "
                "FROM catalog_productattributevalue WHERE {} AND {}",
                ("product_id", list(products)),
                ("attribute_id", attribute_ids),
            ):
                product_attrs[item[0], item[1]] = _attribute_value(item[2:])
    return {
        "variants": variants,
        "products": products,
        "by_slug": by_slug,
        "by_name": by_name,
        "barcodes": barcode_owners,
        "prices": prices,
        "stocks": stocks,
        "attrs": attrs,
        "product_attrs": product_attrs,
    }


def product_resolve(row, existing, state):
    """Вернуть (существующий товар как словарь или None, ключ нового товара)."""
    variant = existing["variants"].get(row.sku)
    found = None
    if row.product_key:
        kind, value = row.product_key
        if kind == "slug":
            found = existing["by_slug"].get(value)
        else:
            candidates = existing["by_name"].get(value, [])
            if len(candidates) > 1:
                raise RowRejected(
                    error_codes.ROW_PRODUCT_AMBIGUOUS,
                    _("товаров с названием «%(name)s» несколько — укажите slug") % {"name": row.product["name"]},
                    sheet_format.NAME,
                )
            found = candidates[0] if candidates else None
    if variant is not None:
        own = existing["products"][variant["product_id"]]
        if row.product_key and (found is None or found["id"] != own["id"]):
            raise RowRejected(
                error_codes.ROW_PRODUCT_MISMATCH,
                _("артикул «%(sku)s» принадлежит товару «%(slug)s»; перенос варианта файлом не поддерживается")
                % {"sku": row.sku, "slug": own["slug"]},
                sheet_format.SLUG,
            )
        return own, None
    if found is not None:
        return found, None
    if not row.product_key:
        raise RowRejected(
            error_codes.ROW_PRODUCT_REQUIRED,
            _("артикула «%(sku)s» нет в каталоге; чтобы создать вариант, заполните name и category") % {"sku": row.sku},
            sheet_format.SKU,
        )
    if row.product_key not in state.new_products and (
        "name" not in row.product or "main_category_id" not in row.product
    ):
        raise RowRejected(
            error_codes.ROW_PRODUCT_REQUIRED,
            _("товара «%(key)s» нет в каталоге; чтобы создать его, заполните name и category")
            % {"key": row.product_key[1]},
            sheet_format.NAME,
        )
    return None, row.product_key


def row_diff(row, existing, state, *, lookup, applied_products):
    """Сравнить строку с базой, проверить правила и добавить записи в пачку; вернуть действие."""
    product, new_key = product_resolve(row, existing, state)
    changed = False
    # Товар: поля из первой строки, где он встретился.
    if product is None:
        product_ref = state.new_products.get(new_key)
        if product_ref is None:
            fields = row.product
            slug = fields.get("slug") or slug_unique(
                slug_from_text(fields["name"], max_length=255),
                lambda slug: (
                    slug in existing["by_slug"]
                    or slug in state.reserved_slugs
                    or Product.objects.filter(slug=slug).exists()
                ),
                max_length=255,
            )
            product_ref = Pending(
                {
                    "name": fields["name"],
                    "slug": slug,
                    "main_category_id": fields["main_category_id"],
                    "brand_id": fields.get("brand_id"),
                    "description": fields.get("description", ""),
                }
            )
            state.reserved_slugs.add(slug)
            state.new_products[new_key] = product_ref
    else:
        product_ref = product["id"]
        if product["id"] not in applied_products and product["id"] not in state.applied_products:
            updates = {}
            for name, column in (
                ("name", "name"),
                ("description", "description"),
                ("main_category_id", "main_category_id"),
                ("brand_id", "brand_id"),
            ):
                if name in row.product and row.product[name] != product[column]:
                    updates[column] = row.product[name]
            if updates:
                state.product_updates[product["id"]] = {**product, **updates}
                state.touched_products.add(product["id"])
                state.search_refs.add(product["id"])
                changed = True
                if "main_category_id" in updates:
                    state.index_refs.add(product["id"])
                if "name" in updates or "brand_id" in updates:
                    state.offer_refs.add(product["id"])
            state.applied_products.add(product["id"])
    # Вариант.
    variant = existing["variants"].get(row.sku)
    barcode = None if row.barcode == CLEAR else row.barcode
    if row.barcode and barcode:
        owner = existing["barcodes"].get(barcode)
        if (owner is not None and owner != row.sku) or state.new_barcodes.get(barcode, row.sku) != row.sku:
            raise RowRejected(
                error_codes.ROW_BARCODE_TAKEN,
                _("штрихкод «%(value)s» уже у артикула «%(owner)s»") % {"value": barcode, "owner": owner or ""},
                sheet_format.BARCODE,
            )
    name = None if row.variant_name is None else ("" if row.variant_name == CLEAR else row.variant_name)
    if variant is None:
        variant_ref = Pending({"sku": row.sku, "barcode": barcode, "name": name or ""})
        state.new_variants.append((variant_ref, product_ref))
        state.index_refs.add(product_ref)
        state.offer_refs.add(product_ref)
        if barcode:
            state.new_barcodes[barcode] = row.sku
        current_prices = current_stocks = current_attrs = {}
    else:
        variant_ref = variant["id"]
        updates = {}
        if row.barcode is not None and barcode != variant["barcode"]:
            updates["barcode"] = barcode
        if name is not None and name != variant["name"]:
            updates["name"] = name
        if updates:
            state.variant_updates[variant["id"]] = {**variant, **updates}
            state.search_refs.add(product_ref)
            changed = True
        current_prices, current_stocks, current_attrs = existing["prices"], existing["stocks"], existing["attrs"]
    key_id = variant_ref if isinstance(variant_ref, int) else None
    # Цены: цена и старая цена сверяются вместе (старая больше текущей).
    price_changes = {}
    for list_id in {*row.prices, *row.old_prices}:
        current = current_prices.get((key_id, list_id))
        new_price = row.prices.get(list_id)
        if new_price == CLEAR:
            if current is not None:
                state.price_deletes.add((variant_ref, list_id))
                price_changes[list_id] = None
            continue
        price = new_price if new_price is not None else (current[0] if current else None)
        old = row.old_prices.get(list_id, current[1] if current else None)
        old = None if old == CLEAR else old
        if price is None:
            if old is not None:
                raise RowRejected(
                    error_codes.ROW_OLD_PRICE_NOT_GREATER,
                    _("старая цена без цены в прайс-листе «%(code)s»") % {"code": _list_code(lookup, list_id)},
                )
            continue
        if old is not None and old <= price:
            raise RowRejected(
                error_codes.ROW_OLD_PRICE_NOT_GREATER,
                _("старая цена %(old)s должна быть больше цены %(price)s") % {"old": old, "price": price},
            )
        if current is None or current[0] != price or current[1] != old:
            price_changes[list_id] = (price, old)
    for list_id, value in price_changes.items():
        if value is not None:
            state.price_upserts[variant_ref, list_id] = value
    if price_changes:
        state.offer_refs.add(product_ref)
    for warehouse_id, quantity in row.stocks.items():
        current = current_stocks.get((key_id, warehouse_id))
        if current is not None and quantity < current[1]:
            raise RowRejected(
                error_codes.ROW_STOCK_BELOW_RESERVED,
                _("остаток %(quantity)s меньше резерва %(reserved)s") % {"quantity": quantity, "reserved": current[1]},
            )
        # Нет строки остатка — то же, что ноль: экспорт пишет пустую ячейку, импорт её не трогает.
        if (current[0] if current else 0) != quantity:
            state.stock_upserts[variant_ref, warehouse_id] = quantity
            state.offer_refs.add(product_ref)
            changed = True
    changed = changed or bool(price_changes)
    attributes_changed = _attribute_changes(
        row.attrs,
        current_attrs,
        owner_key=key_id,
        owner_ref=variant_ref,
        upserts=state.attr_upserts,
        deletes=state.attr_deletes,
    )
    # Атрибуты товара одинаковы во всех его строках (проверено подписью товара).
    attributes_changed |= _attribute_changes(
        row.product_attrs,
        existing["product_attrs"],
        owner_key=product_ref if isinstance(product_ref, int) else None,
        owner_ref=product_ref,
        upserts=state.product_attr_upserts,
        deletes=state.product_attr_deletes,
    )
    if attributes_changed:
        state.index_refs.add(product_ref)
        changed = True
    if isinstance(product_ref, int) and changed:
        state.touched_products.add(product_ref)
    if variant is None:
        return CREATED
    return UPDATED if changed else UNCHANGED


def _attribute_changes(values, current_values, *, owner_key, owner_ref, upserts, deletes):
    """Сложить в пачку изменения значений атрибутов варианта или товара; вернуть, было ли изменение.

    values — {id атрибута: значение или CLEAR} из строки; current_values — {(id владельца, id
    атрибута): значение} из базы (owner_key None — владелец новый, значений в базе нет).
    """
    changed = False
    for attribute_id, value in values.items():
        current = current_values.get((owner_key, attribute_id))
        if value == CLEAR:
            if current is not None:
                deletes.add((owner_ref, attribute_id))
                changed = True
        elif current is None or tuple(current) != value:
            upserts[owner_ref, attribute_id] = value
            changed = True
    return changed


def _list_code(lookup, list_id):
    return next((code for code, row in lookup.price_lists.items() if row["id"] == list_id), "")


def _fetch(cursor, sql, *conditions):
    """Выполнить запрос с условиями «столбец входит в список» на местах {} и вернуть все строки.

    conditions — пары (столбец, значения) в порядке мест {} в тексте. Условие строит sql_in
    каталога: на PostgreSQL — один параметр-массив (= ANY), в других базах (SQLite встроенного
    варианта) — IN с плейсхолдерами; пачка импорта (EXCHANGE_CHUNK_ROWS) укладывается в предел
    параметров SQLite.
    """
    wheres, params = [], []
    for column, values in conditions:
        where, values_params = sql_in(column, list(values))
        wheres.append(where)
        params += values_params
    cursor.execute(sql.format(*wheres), params)
    return cursor.fetchall()


def _decimal(value):
    """Вернуть число из базы как Decimal: SQLite отдаёт NUMERIC курсору как int или float (PostgreSQL — Decimal).

    float 19.99 из SQLite — ближайшее двоичное число, и сравнение с Decimal("19.99") из файла
    дало бы «изменено» на каждой строке; str(float) — кратчайшая запись, то есть «19.99».
    """
    if value is None or value.__class__ is Decimal:
        return value
    return Decimal(str(value))


def _attribute_value(value):
    """Вернуть значение атрибута (choice_id, text, number, boolean) из базы в виде, который даёт разбор строки."""
    choice_id, text, number, boolean = value
    return (choice_id, text, _decimal(number), None if boolean is None else bool(boolean))
