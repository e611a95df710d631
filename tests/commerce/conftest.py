"""Фикстуры коммерции: два региона, прайс-листы, склады и небольшое дерево каталога."""

from decimal import Decimal

import pytest

from commerce.catalog.models import AttributeType, CategoryAttribute, ProductAttributeValue, VariantAttributeValue
from tests.factories.catalog import (
    AttributeChoiceFactory,
    AttributeFactory,
    BrandFactory,
    PriceListFactory,
    ProductFactory,
    StockFactory,
    VariantFactory,
    VariantPriceFactory,
    WarehouseFactory,
    category_create,
)
from tests.factories.regions import RegionFactory


class World:
    """Набор объектов каталога для тестов (атрибуты — по именам)."""


@pytest.fixture
def regions(db):
    world = World()
    world.msk = RegionFactory(code="msk", name="Москва", is_default=True)
    world.spb = RegionFactory(code="spb", name="Санкт-Петербург")
    world.base_list = PriceListFactory(code="base", name="Базовый")
    world.msk_list = PriceListFactory(code="msk", name="Москва", region=world.msk)
    world.msk_warehouse = WarehouseFactory(code="msk-1", region=world.msk)
    world.spb_warehouse = WarehouseFactory(code="spb-1", region=world.spb)
    return world


@pytest.fixture
def catalog(regions):
    """Электроника → Смартфоны, Ноутбуки; Одежда. Цвет (список), диагональ (число), NFC (да/нет)."""
    world = regions
    world.electronics = category_create(name="Электроника", slug="electronics")
    world.phones = category_create(name="Смартфоны", slug="phones", parent=world.electronics)
    world.laptops = category_create(name="Ноутбуки", slug="laptops", parent=world.electronics)
    world.clothes = category_create(name="Одежда", slug="clothes")
    world.acme = BrandFactory(name="Acme", slug="acme")
    world.globex = BrandFactory(name="Globex", slug="globex")
    world.color = AttributeFactory(code="color", name="Цвет", type=AttributeType.CHOICE)
    world.black = AttributeChoiceFactory(attribute=world.color, value="black", label="Чёрный")
    world.white = AttributeChoiceFactory(attribute=world.color, value="white", label="Белый")
    world.diagonal = AttributeFactory(code="diagonal", name="Диагональ", type=AttributeType.NUMBER, unit="дюйм")
    world.nfc = AttributeFactory(code="nfc", name="NFC", type=AttributeType.BOOLEAN)
    world.material = AttributeFactory(code="material", name="Материал", type=AttributeType.TEXT)
    for attribute in (world.color, world.diagonal, world.nfc):
        CategoryAttribute.objects.create(category=world.electronics, attribute=attribute)
    CategoryAttribute.objects.create(category=world.clothes, attribute=world.material)

    def product(name, slug, category, brand, price, *, color=None, diagonal=None, nfc=None, stock=5, msk_price=None):
        item = ProductFactory(name=name, slug=slug, main_category=category, brand=brand)
        variant = VariantFactory(product=item, sku=f"{slug}-1")
        VariantPriceFactory(variant=variant, price_list=world.base_list, price=Decimal(price))
        if msk_price is not None:
            VariantPriceFactory(variant=variant, price_list=world.msk_list, price=Decimal(msk_price))
        if stock:
            StockFactory(variant=variant, warehouse=world.msk_warehouse, quantity=stock)
        if color is not None:
            VariantAttributeValue.objects.create(variant=variant, attribute=world.color, choice=color)
        if diagonal is not None:
            ProductAttributeValue.objects.create(product=item, attribute=world.diagonal, value_number=diagonal)
        if nfc is not None:
            ProductAttributeValue.objects.create(product=item, attribute=world.nfc, value_boolean=nfc)
        item.refresh_from_db()
        item.variant = variant
        return item

    world.product = product
    world.phone_black = product(
        "Телефон А",
        "phone-a",
        world.phones,
        world.acme,
        "20000",
        color=world.black,
        diagonal=6.1,
        nfc=True,
        msk_price="19000",
    )
    world.phone_white = product(
        "Телефон Б",
        "phone-b",
        world.phones,
        world.globex,
        "30000",
        color=world.white,
        diagonal=6.7,
        nfc=False,
        stock=0,
    )
    world.laptop = product("Ноутбук В", "laptop-c", world.laptops, world.acme, "90000", diagonal=15.6)
    world.shirt = product("Рубашка Г", "shirt-d", world.clothes, None, "2500")
    return world
