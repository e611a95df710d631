"""Перевод документов ERPNext в dataclass-ы «каталога на вход» ядра (и ничего больше: без запросов)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from integrations.core.catalog_in import AttributeValueIn, CategoryIn, PriceIn, ProductIn, StockIn, VariantIn

# Поля списков: одна страница приносит всё, что нужно для записи, без запроса на документ.
ITEM_GROUP_FIELDS = ["name", "item_group_name", "parent_item_group", "is_group"]
ITEM_FIELDS = [
    "name",
    "item_code",  # код товара (он же name документа)
    "item_name",  # название
    "item_group",  # группа → категория
    "description",  # описание (HTML редактора ERPNext)
    "image",  # /files/… — картинка товара
    "disabled",  # 1 — не продаётся
    "has_variants",  # 1 — шаблон с вариантами (у шаблона нет цен и остатков)
    "variant_of",  # код шаблона у варианта
    "weight_per_unit",
    "weight_uom",
]
ATTRIBUTE_FIELDS = ["parent", "idx", "attribute", "attribute_value"]
BARCODE_FIELDS = ["parent", "idx", "barcode"]
ITEM_PRICE_FIELDS = [
    "name",
    "item_code",
    "price_list",  # прайс-лист ERPNext → наш по price_list_map
    "price_list_rate",  # цена за единицу
    "currency",  # валюта цены (проверяется, не предполагается)
    "valid_from",
    "valid_upto",
]
BIN_FIELDS = ["name", "item_code", "warehouse", "actual_qty", "reserved_qty", "projected_qty"]

# Единицы веса ERPNext (UOM) → грамм в единице.
_GRAMS = {"kg": 1000, "кг": 1000, "gram": 1, "g": 1, "г": 1, "грамм": 1, "mg": Decimal("0.001"), "tonne": 1000000}


def attribute_external_id(name):
    """Внешний id атрибута (Item Attribute называется одинаково во всех товарах)."""
    return f"erpnext-attribute:{name}"


def categories_from_groups(groups):
    """Группы товаров → CategoryIn, родители раньше детей; корень дерева («All Item Groups») пропускается.

    Родитель, которого нет среди ``groups`` (не менялся с прошлой загрузки), ищется по внешним id ядром.
    """
    by_name = {row["name"]: row for row in groups}
    roots = {row["name"] for row in groups if not row.get("parent_item_group")}
    ordered, done = [], set()

    def visit(row, trail=()):
        name = row["name"]
        if name in done or name in roots or name in trail:
            return
        parent = row.get("parent_item_group") or None
        if parent in by_name:
            visit(by_name[parent], (*trail, name))
        done.add(name)
        ordered.append(
            CategoryIn(
                external_id=name,
                name=row.get("item_group_name") or name,
                parent_id=None if (parent is None or parent in roots) else parent,
            )
        )

    for row in groups:
        visit(row)
    return ordered


def root_groups(groups):
    """Имена корневых групп (без родителя) — их дети становятся корнями нашего каталога."""
    return {row["name"] for row in groups if not row.get("parent_item_group")}


def weight_grams(item):
    try:
        weight = Decimal(str(item.get("weight_per_unit") or 0))
    except InvalidOperation:
        return None
    factor = _GRAMS.get(str(item.get("weight_uom") or "").strip().casefold())
    if not weight or factor is None:
        return None
    return int(weight * factor)


def _attributes(rows):
    return [
        AttributeValueIn(
            name=row["attribute"],
            value=str(row.get("attribute_value") or ""),
            external_id=attribute_external_id(row["attribute"]),
        )
        for row in sorted(rows, key=lambda row: row.get("idx") or 0)
        if row.get("attribute") and row.get("attribute_value") not in (None, "")
    ]


def _barcode(rows):
    for row in sorted(rows, key=lambda row: row.get("idx") or 0):
        if row.get("barcode"):
            return str(row["barcode"]).strip()
    return ""


def _active(item):
    return not int(item.get("disabled") or 0)


def product_from_item(item, *, barcodes=(), images=None, root_groups=frozenset()):
    """Шаблон или простой товар (не вариант) → ProductIn.

    Args:
        item: строка списка Item или документ Item.
        barcodes: строки Item Barcode этого товара.
        images: список ImageIn или None — картинку не трогать.
        root_groups: корневые группы: товар в корне получает категорию «без группы».
    """
    group = item.get("item_group")
    return ProductIn(
        external_id=item["name"],
        name=item.get("item_name") or item["name"],
        sku="" if int(item.get("has_variants") or 0) else item.get("item_code") or item["name"],
        barcode=_barcode(barcodes),
        description=item.get("description") if item.get("description") is not None else None,
        category_ids=[group] if group and group not in root_groups else [],
        images=images,
        weight_grams=weight_grams(item),
        active=_active(item),
    )


def variant_from_item(item, *, attributes=(), barcodes=()):
    """Вариант (``variant_of`` задан) → VariantIn товара-шаблона."""
    return VariantIn(
        external_id=item["name"],
        product_id=item["variant_of"],
        sku=item.get("item_code") or item["name"],
        name=item.get("item_name") or item["name"],
        barcode=_barcode(barcodes),
        weight_grams=weight_grams(item),
        attributes=_attributes(attributes),
        active=_active(item),
    )


def _date(value):
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def price_valid(row, *, today):
    """Действует ли цена сегодня (valid_from/valid_upto)."""
    start, end = _date(row.get("valid_from")), _date(row.get("valid_upto"))
    return (start is None or start <= today) and (end is None or today <= end)


def price_from_row(row):
    """Item Price → PriceIn (валюта передаётся для проверки ядром)."""
    return PriceIn(
        variant_id=row["item_code"],
        price_list_id=row["price_list"],
        price=Decimal(str(row.get("price_list_rate") or 0)),
        price_list_name=row["price_list"],
        currency=str(row.get("currency") or ""),
    )


def stock_quantity(row, mode):
    """Остаток из Bin: свободный (actual − reserved), фактический или прогнозный (projected)."""
    actual = Decimal(str(row.get("actual_qty") or 0))
    if mode == "actual":
        return actual
    if mode == "projected":
        return Decimal(str(row.get("projected_qty") or 0))
    return actual - Decimal(str(row.get("reserved_qty") or 0))


def stock_from_bin(row, mode):
    """Bin → StockIn (склад ERPNext сопоставляется нашему по warehouse_map)."""
    return StockIn(
        variant_id=row["item_code"],
        warehouse_id=row["warehouse"],
        quantity=stock_quantity(row, mode),
        warehouse_name=row["warehouse"],
    )
