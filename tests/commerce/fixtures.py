"""Фикстуры коммерции — одна постановка магазина для всех тестов корзины, заказов, каталога и админок.

Основа — shop_create(): регионы msk (по умолчанию) и spb, прайс-листы (базовый и московский),
склады msk-1 и spb-1. На ней:

* ``regions`` — только основа; ``catalog`` — основа и дерево каталога с атрибутами и четырьмя
  товарами (catalog_fill), созданными через сигналы каталога;
* ``shop`` — основа, оплаты в обоих регионах и три товара, созданные мимо сигналов (bulk_create):
  тестам корзины и заказов не нужна переиндексация каталога на каждую строку.

``_eager_tasks`` (задачи Celery сразу) и ``sms_outbox`` (SMS в память) — autouse для тех папок,
которые их подключают. Подключаются в conftest.py папок импортом (pytest регистрирует
импортированные фикстуры).
"""

from decimal import Decimal

import pytest

from commerce.catalog.models import (
    AttributeType,
    Category,
    CategoryAttribute,
    Product,
    ProductAttributeValue,
    Variant,
    VariantAttributeValue,
)
from commerce.inventory.models import Stock, Warehouse
from commerce.payments.models import RegionPaymentProvider
from commerce.pricing.models import PriceList, VariantPrice
from integrations.sms.backends import locmem
from regions.models import Region
from regions.registry import region_registry_invalidate
from tests.factories.catalog import (
    AttributeChoiceFactory,
    AttributeFactory,
    BrandFactory,
    ProductFactory,
    StockFactory,
    VariantFactory,
    VariantPriceFactory,
    category_create,
)


class Shop:
    """Объекты магазина для тестов (регионы, прайс-листы, склады, категории, товары — атрибутами)."""

    def variant(self, sku, *, price, stock=0, msk_price=None, warehouse=None):
        """Создать товар с одним вариантом, ценами и остатком в корне каталога (bulk_create — без индексации)."""
        product = Product.objects.bulk_create(
            [Product(name=f"Товар {sku}", slug=sku.lower(), main_category=self.root)]
        )[0]
        variant = Variant.objects.bulk_create([Variant(product=product, sku=sku, name="")])[0]
        variant.product = product
        prices = [VariantPrice(variant=variant, price_list=self.base_list, price=Decimal(price))]
        if msk_price is not None:
            prices.append(VariantPrice(variant=variant, price_list=self.msk_list, price=Decimal(msk_price)))
        VariantPrice.objects.bulk_create(prices)
        if stock:
            Stock.objects.bulk_create(
                [Stock(variant=variant, warehouse=warehouse or self.msk_warehouse, quantity=stock)]
            )
        return variant


def shop_create():
    """Создать основу магазина: регионы msk (по умолчанию) и spb, прайс-листы базовый и московский, склады."""
    shop = Shop()
    # bulk_create — мимо сигналов каталога, которые пересчитывают предложения всех товаров.
    shop.msk, shop.spb = Region.objects.bulk_create(
        [
            Region(code="msk", name="Москва", is_default=True, subdomain="msk", subfolder="msk", sort_order=0),
            Region(code="spb", name="Санкт-Петербург", subdomain="spb", subfolder="spb", sort_order=1),
        ]
    )
    region_registry_invalidate()
    shop.base_list, shop.msk_list = PriceList.objects.bulk_create(
        [PriceList(code="base", name="Базовый"), PriceList(code="msk", name="Москва", region=shop.msk)]
    )
    shop.msk_warehouse, shop.spb_warehouse = Warehouse.objects.bulk_create(
        [
            Warehouse(code="msk-1", name="Склад Москва", region=shop.msk, address="Москва, склад 1"),
            Warehouse(code="spb-1", name="Склад СПб", region=shop.spb),
        ]
    )
    return shop


def catalog_fill(world):
    """Дополнить магазин деревом каталога: Электроника → Смартфоны, Ноутбуки; Одежда.

    Атрибуты: цвет (список), диагональ (число), NFC (да/нет), материал (текст). Товары — фабриками,
    через сигналы каталога (индекс фильтров и предложения пересчитываются, как при правке в админке);
    world.product(...) создаёт ещё один товар так же.
    """
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


@pytest.fixture
def regions(db):
    """Основа магазина (shop_create): регионы, прайс-листы, склады."""
    return shop_create()


@pytest.fixture
def catalog(regions):
    """Основа магазина и дерево каталога с четырьмя товарами (catalog_fill)."""
    return catalog_fill(regions)


@pytest.fixture
def shop(db):
    """Магазин: телефон (19000 в Москве, 20000 база, 5 шт.), рубашка (2500, 5 шт.), ноутбук (90000, 5 шт.).

    В обоих регионах включены онлайн-оплата (тестовый провайдер) и оплата при получении.
    """
    shop = shop_create()
    RegionPaymentProvider.objects.bulk_create(
        RegionPaymentProvider(region=region, provider=code, sort_order=order)
        for region in (shop.msk, shop.spb)
        for order, code in enumerate(["test", "cash_on_delivery"])
    )
    shop.root = Category.add_root(name="Каталог", slug="root")
    shop.phone = shop.variant("PHONE-1", price="20000", msk_price="19000", stock=5)
    shop.shirt = shop.variant("SHIRT-1", price="2500", stock=5)
    shop.laptop = shop.variant("LAPTOP-1", price="90000", stock=5)
    return shop


@pytest.fixture(autouse=True)
def _eager_tasks(settings):
    """Выполнять задачи Celery в процессе (фикстура celery_worker переключает на настоящий воркер)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Отправленные SMS — в списке в памяти вместо шлюза."""
    settings.SMS_BACKEND = "integrations.sms.backends.locmem.LocmemSmsBackend"
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()
