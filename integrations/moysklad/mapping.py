"""Перевод документов МоегоСклада в dataclass-ы «каталога на вход» ядра и обратно — без запросов.

Деньги у МоегоСклада — в копейках (``value: 499000`` — 4 990,00 ₽), у нас — Decimal в рублях.
Время — московское, «YYYY-MM-DD HH:MM:SS».
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from commerce.catalog.models import AttributeType
from integrations.core.catalog_in import AttributeValueIn, CategoryIn, PriceIn, ProductIn, StockIn, VariantIn
from integrations.moysklad.client import entity_id

MSK = ZoneInfo("Europe/Moscow")
KOPECKS = Decimal(100)
# Типы строк ассортимента, которые магазин не загружает, и почему.
SKIPPED_TYPES = {
    "service": "Услуга — не товар со складом: в каталог не загружается.",
    "bundle": "Комплект не загружается: в магазине нет комплектов, а продавать его как товар — неверный остаток.",
    "consignment": "Серия (партия) не загружается: остатки считаются по товару или модификации.",
}
# Атрибут нашего каталога для характеристик модификаций: внешний id — id характеристики МоегоСклада.
CHARACTERISTIC_PREFIX = "ms-char:"


def kopecks_to_decimal(value):
    """Перевести копейки МоегоСклада (число) в рубли Decimal с двумя знаками; мусор — None."""
    try:
        return (Decimal(str(value)) / KOPECKS).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return None


def decimal_to_kopecks(value):
    """Перевести рубли (Decimal) в целые копейки для МоегоСклада."""
    return int((Decimal(value) * KOPECKS).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def moment(value):
    """Время для фильтров МоегоСклада: aware datetime → московское «YYYY-MM-DD HH:MM:SS»."""
    return value.astimezone(MSK).strftime("%Y-%m-%d %H:%M:%S")


def folder_depth(folder):
    """Глубина группы по pathName («Обувь/Кеды» — у родителя группы глубина 2)."""
    path = folder.get("pathName") or ""
    return len([part for part in path.split("/") if part])


def category_in(folder):
    """Группа товаров (productfolder) → CategoryIn; родитель — из productFolder."""
    parent = entity_id(folder["productFolder"]) if folder.get("productFolder") else None
    return CategoryIn(external_id=folder["id"], name=(folder.get("name") or "").strip(), parent_id=parent)


def sale_prices(row, price_types):
    """Цены строки (salePrices) → [(id типа, название, Decimal)] в сопоставленных типах цен.

    ``price_types`` — настройка подключения {id или название: код прайс-листа}; пустая — все
    типы (сопоставит ядро). Нулевые цены пропускаются: МойСклад отдаёт все типы цен, в том
    числе незаполненные.
    """
    result = []
    for item in row.get("salePrices") or ():
        kind = item.get("priceType") or {}
        kind_id = kind.get("id") or entity_id(kind)
        name = kind.get("name") or ""
        price = kopecks_to_decimal(item.get("value"))
        if price is None or price <= 0:
            continue
        if price_types and kind_id not in price_types and name not in price_types:
            continue
        result.append((kind_id, name, price))
    return result


def _barcode(row):
    for item in row.get("barcodes") or ():
        if isinstance(item, dict) and item.get("ean13"):
            return str(item["ean13"])
    return ""


def _weight_grams(row):
    # Вес в МоёмСкладе — в килограммах (как в карточке товара), у нас — граммы.
    try:
        weight = Decimal(str(row.get("weight") or 0))
    except InvalidOperation:
        return None
    return int((weight * 1000).quantize(Decimal("1"), rounding=ROUND_HALF_UP)) if weight > 0 else None


def _custom_attributes(row):
    """Доп. поля товара (attributes) → значения атрибутов; справочники — по имени значения."""
    values = []
    for item in row.get("attributes") or ():
        value = item.get("value")
        kind = AttributeType.TEXT
        if isinstance(value, dict):
            value, kind = value.get("name", ""), AttributeType.CHOICE
        elif isinstance(value, bool):
            value, kind = ("да" if value else "нет"), AttributeType.BOOLEAN
        elif isinstance(value, (int, float)):
            value, kind = str(value), AttributeType.NUMBER
        if item.get("name") and value not in (None, ""):
            values.append(
                AttributeValueIn(
                    name=item["name"], value=str(value), external_id=f"ms-attr:{item.get('id')}", kind=kind
                )
            )
    return values


@dataclass
class Goods:
    """Итог перевода страницы ассортимента: товары, модификации, цены и пропуски с причинами."""

    products: list = field(default_factory=list)
    variants: list = field(default_factory=list)
    prices: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (объект, причина)
    images: dict = field(default_factory=dict)  # id товара с картинками → строка (для картинок)
    variant_images: dict = field(default_factory=dict)  # id модификации с картинками → строка
    variants_count: dict = field(default_factory=dict)  # id товара → число его модификаций
    updated: dict = field(default_factory=dict)  # id товара или модификации → когда изменён (updated)


def has_images(row):
    """Есть ли у товара или модификации картинки (``images.meta.size`` строки)."""
    return int((row.get("images") or {}).get("meta", {}).get("size") or 0) > 0


def row_label(row):
    return f"{row.get('name') or '—'} ({row.get('code') or row.get('article') or row.get('id', '')})"


def goods_from_rows(rows, *, price_types, uoms=None, product_prices=None, product_weights=None):
    """Перевести строки ассортимента (product, variant, service, bundle) в Goods.

    Товар без названия или без цены в сопоставленных типах цен пропускается с причиной (остальные
    загружаются). Модификация без своих цен берёт цены товара (``product_prices`` — {id товара:
    salePrices}, копятся за проход), а вес — всегда товара: у модификации МоегоСклада веса нет
    (``product_weights`` — {id товара: граммы}; товара не было в проходе — вес варианта не меняется).

    Args:
        rows: строки /entity/assortment, /entity/product или /entity/variant.
        price_types: настройка price_types.
        uoms: {id единицы измерения: название}.
        product_prices: общий на проход словарь цен товаров.
        product_weights: общий на проход словарь весов товаров.
    """
    goods = Goods()
    uoms = uoms or {}
    product_prices = product_prices if product_prices is not None else {}
    product_weights = product_weights if product_weights is not None else {}
    for row in rows:
        kind = (row.get("meta") or {}).get("type", "product")
        if kind in SKIPPED_TYPES:
            goods.skipped.append((row_label(row), _(SKIPPED_TYPES[kind])))
            continue
        name = (row.get("name") or "").strip()
        if kind == "variant":
            product_id = entity_id(row.get("product"))
            own = sale_prices(row, price_types)
            prices = own or sale_prices({"salePrices": product_prices.get(product_id) or []}, price_types)
            if not prices and (row.get("salePrices") or product_prices.get(product_id)):
                goods.skipped.append((row_label(row), _("Нет цены в сопоставленных типах цен (price_types).")))
                continue
            characteristics = [
                AttributeValueIn(
                    name=item.get("name", ""),
                    value=str(item.get("value", "")),
                    external_id=CHARACTERISTIC_PREFIX + str(item.get("id", "")),
                    kind=AttributeType.CHOICE,
                )
                for item in row.get("characteristics") or ()
            ]
            goods.variants.append(
                VariantIn(
                    external_id=row["id"],
                    product_id=product_id,
                    sku=(row.get("code") or row.get("article") or "").strip(),
                    name=", ".join(item.value for item in characteristics) or name,
                    barcode=_barcode(row),
                    weight_grams=product_weights.get(product_id),
                    attributes=characteristics,
                    active=not row.get("archived", False),
                )
            )
            goods.prices.extend(PriceIn(row["id"], kind_id, price, label) for kind_id, label, price in prices)
            goods.updated[row["id"]] = row.get("updated") or ""
            if has_images(row):
                goods.variant_images[row["id"]] = row
            continue
        if not name:
            goods.skipped.append((row_label(row), _("Пустое название: товар пропущен.")))
            continue
        prices = sale_prices(row, price_types)
        has_variants = int(row.get("variantsCount") or 0) > 0
        if not prices and not has_variants:
            goods.skipped.append(
                (row_label(row), _("Нет цены в сопоставленных типах цен (price_types): товар пропущен."))
            )
            continue
        product_prices[row["id"]] = row.get("salePrices") or []
        product_weights[row["id"]] = _weight_grams(row)
        attributes = _custom_attributes(row)
        uom = uoms.get(entity_id(row["uom"])) if row.get("uom") else None
        if uom:
            attributes.append(AttributeValueIn(_("Единица измерения"), uom, external_id="ms-uom", kind="text"))
        if row.get("volume"):
            attributes.append(AttributeValueIn(_("Объём"), str(row["volume"]), external_id="ms-volume", kind="number"))
        folder = entity_id(row["productFolder"]) if row.get("productFolder") else None
        goods.products.append(
            ProductIn(
                external_id=row["id"],
                name=name,
                sku=(row.get("article") or row.get("code") or "").strip(),
                barcode=_barcode(row),
                description_text=row.get("description") if row.get("description") is not None else None,
                category_ids=[folder] if folder else [],
                attributes=attributes,
                weight_grams=_weight_grams(row),
                active=not row.get("archived", False),
            )
        )
        goods.variants_count[row["id"]] = int(row.get("variantsCount") or 0)
        goods.updated[row["id"]] = row.get("updated") or ""
        if has_images(row):
            goods.images[row["id"]] = row
        if not has_variants:
            goods.prices.extend(PriceIn(row["id"], kind_id, price, label) for kind_id, label, price in prices)
    return goods


def stocks_from_bystore(rows):
    """Строки отчёта /report/stock/bystore → StockIn: доступно = остаток − резерв (не меньше 0)."""
    result = []
    for row in rows:
        assortment = entity_id(row)
        for store in row.get("stockByStore") or ():
            stock = Decimal(str(store.get("stock") or 0)) - Decimal(str(store.get("reserve") or 0))
            result.append(StockIn(assortment, entity_id(store), stock, store.get("name") or ""))
    return result


def stocks_from_current(rows, store_names=None):
    """Строки короткого отчёта /report/stock/bystore/current (stockType=freeStock) → StockIn.

    ``storeId: null`` — резерв без склада: пропускается.
    """
    store_names = store_names or {}
    return [
        StockIn(
            row["assortmentId"],
            row["storeId"],
            Decimal(str(row.get("stock") or 0)),
            store_names.get(row["storeId"], ""),
        )
        for row in rows
        if row.get("storeId") and row.get("assortmentId")
    ]


def phone_digits(phone):
    """Последние 10 цифр телефона — общие для +7…, 8… и 7… записей (для поиска контрагента)."""
    return re.sub(r"\D", "", phone or "")[-10:]


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def is_uuid(value):
    """Похоже ли значение на id (UUID) МоегоСклада — иначе это название."""
    return bool(_UUID.match(str(value or "")))
