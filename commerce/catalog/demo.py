"""Демонстрационный каталог для `manage.py seed_demo`: несколько категорий, товаров, цен и остатков.

Идемпотентно: всё ищется по slug/коду. Региональные данные (прайс-листы, склады) создаются
только для уже существующих регионов msk, spb и kzn — у каждого свои склад и остатки;
без регионов — лишь каталог и базовые цены.
"""

from decimal import Decimal

from commerce.catalog.models import (
    Attribute,
    AttributeChoice,
    AttributeType,
    Brand,
    Category,
    CategoryAttribute,
    Product,
    ProductAttributeValue,
    Variant,
    VariantAttributeValue,
)
from commerce.inventory.models import Stock, Warehouse
from commerce.pricing.models import PriceList, VariantPrice
from regions.models import Region

CATEGORIES = [
    ("electronics", "Электроника", None),
    ("smartphones", "Смартфоны", "electronics"),
    ("laptops", "Ноутбуки", "electronics"),
    ("clothes", "Одежда", None),
    ("t-shirts", "Футболки", "clothes"),
]
# slug, название, категория, бренд, [(артикул, цвет/размер, базовая цена, старая цена, остаток)]
PRODUCTS = [
    (
        "phone-nova-6",
        "Смартфон Nova 6 128 ГБ",
        "smartphones",
        "nova",
        [("NOVA6-BLK", "black", "29990", "34990", 12), ("NOVA6-WHT", "white", "29990", None, 0)],
    ),
    (
        "phone-nova-7-pro",
        "Смартфон Nova 7 Pro 256 ГБ",
        "smartphones",
        "nova",
        [("NOVA7P-BLK", "black", "54990", None, 4)],
    ),
    ("laptop-orbita-14", "Ноутбук Orbita 14", "laptops", "orbita", [("ORB14-SLV", "white", "74990", "79990", 3)]),
    (
        "tshirt-basic",
        "Футболка базовая",
        "t-shirts",
        "sever",
        [("TSH-S", "s", "990", None, 30), ("TSH-M", "m", "990", None, 25), ("TSH-L", "l", "990", None, 0)],
    ),
]


def _category(slug, name, parent_slug):
    existing = Category.objects.filter(slug=slug).first()
    if existing:
        return existing
    if parent_slug is None:
        return Category.add_root(name=name, slug=slug)
    return Category.objects.get(slug=parent_slug).add_child(name=name, slug=slug)


def _choice(attribute, value, label):
    return AttributeChoice.objects.get_or_create(attribute=attribute, value=value, defaults={"label": label})[0]


def demo_regional_lists():
    """Вернуть базовый прайс-лист и {код региона: (прайс-лист, склад)} демо (создать, если нет)."""
    base_list = PriceList.objects.filter(region__isnull=True).first() or PriceList.objects.create(
        code="base", name="Базовый прайс-лист"
    )
    regional = {}
    for region in Region.objects.filter(code__in=["msk", "spb", "kzn"]):
        price_list = PriceList.objects.filter(region=region).first() or PriceList.objects.create(
            code=f"{region.code}-retail", name=f"Розница — {region.name}", region=region
        )
        warehouse = Warehouse.objects.get_or_create(
            code=f"{region.code}-main",
            defaults={"name": f"Склад — {region.name}", "region": region, "address": region.address},
        )[0]
        regional[region.code] = (price_list, warehouse)
    return base_list, regional


def seed_catalog(*, stdout):
    """Создать демонстрационный каталог, базовые и региональные цены, склады и остатки."""
    categories = {slug: _category(slug, name, parent) for slug, name, parent in CATEGORIES}
    brands = {
        slug: Brand.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in (("nova", "Nova"), ("orbita", "Orbita"), ("sever", "Север"))
    }
    color = Attribute.objects.get_or_create(code="color", defaults={"name": "Цвет", "type": AttributeType.CHOICE})[0]
    size = Attribute.objects.get_or_create(code="size", defaults={"name": "Размер", "type": AttributeType.CHOICE})[0]
    memory = Attribute.objects.get_or_create(
        code="memory", defaults={"name": "Память", "type": AttributeType.NUMBER, "unit": "ГБ"}
    )[0]
    choices = {
        "black": _choice(color, "black", "Чёрный"),
        "white": _choice(color, "white", "Белый"),
        "s": _choice(size, "s", "S"),
        "m": _choice(size, "m", "M"),
        "l": _choice(size, "l", "L"),
    }
    for category_slug, attribute in (("electronics", color), ("electronics", memory), ("clothes", size)):
        CategoryAttribute.objects.get_or_create(category=categories[category_slug], attribute=attribute)

    base_list, regional = demo_regional_lists()

    created = 0
    for slug, name, category_slug, brand_slug, variants in PRODUCTS:
        product = Product.objects.filter(slug=slug).first()
        if product is not None:
            continue
        product = Product.objects.create(
            slug=slug, name=name, main_category=categories[category_slug], brand=brands[brand_slug]
        )
        if category_slug == "smartphones":
            ProductAttributeValue.objects.create(
                product=product, attribute=memory, value_number=Decimal(256 if "256" in name else 128)
            )
        for index, (sku, choice, price, old_price, quantity) in enumerate(variants):
            variant = Variant.objects.create(product=product, sku=sku, name=choices[choice].label, sort_order=index)
            VariantAttributeValue.objects.create(
                variant=variant, attribute=choices[choice].attribute, choice=choices[choice]
            )
            VariantPrice.objects.create(
                variant=variant,
                price_list=base_list,
                price=Decimal(price),
                old_price=Decimal(old_price) if old_price else None,
            )
            for code, (price_list, warehouse) in regional.items():
                if code == "spb":
                    # В Петербурге цена на 5 % ниже — видно, что цены региональные.
                    VariantPrice.objects.create(
                        variant=variant,
                        price_list=price_list,
                        price=(Decimal(price) * Decimal("0.95")).quantize(Decimal("1")),
                    )
                Stock.objects.create(variant=variant, warehouse=warehouse, quantity=quantity)
        created += 1
    stdout.write(f"Каталог: товаров создано {created}, регионов с ценами и складами {len(regional)}.")
