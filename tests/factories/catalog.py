"""Фабрики каталога, цен и остатков."""

from decimal import Decimal

import factory

from commerce.catalog.models import (
    Attribute,
    AttributeChoice,
    AttributeType,
    Brand,
    Category,
    Product,
    Variant,
)
from commerce.inventory.models import Stock, Warehouse
from commerce.pricing.models import PriceList, VariantPrice


def category_create(*, name, slug, parent=None, **fields):
    """Создать категорию корнем или ребёнком (treebeard не создаёт узлы через objects.create)."""
    if parent is None:
        return Category.add_root(name=name, slug=slug, **fields)
    return parent.add_child(name=name, slug=slug, **fields)


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    name = factory.Sequence(lambda number: f"Бренд {number}")
    slug = factory.Sequence(lambda number: f"brand-{number}")


class AttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attribute

    code = factory.Sequence(lambda number: f"attr-{number}")
    name = factory.Sequence(lambda number: f"Атрибут {number}")
    type = AttributeType.CHOICE


class AttributeChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttributeChoice

    attribute = factory.SubFactory(AttributeFactory)
    value = factory.Sequence(lambda number: f"value-{number}")
    label = factory.Sequence(lambda number: f"Значение {number}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda number: f"Товар {number:05d}")
    slug = factory.Sequence(lambda number: f"product-{number}")
    main_category = factory.LazyFunction(
        lambda: (
            Category.objects.filter(slug="factory-root").first()
            or category_create(name="Корень фабрики", slug="factory-root")
        )
    )


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda number: f"SKU-{number:06d}")


class PriceListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceList

    code = factory.Sequence(lambda number: f"list-{number}")
    name = factory.Sequence(lambda number: f"Прайс-лист {number}")
    region = None


class VariantPriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VariantPrice

    variant = factory.SubFactory(VariantFactory)
    price_list = factory.SubFactory(PriceListFactory)
    price = Decimal("1000.00")


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse

    code = factory.Sequence(lambda number: f"wh-{number}")
    name = factory.Sequence(lambda number: f"Склад {number}")


class StockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stock

    variant = factory.SubFactory(VariantFactory)
    warehouse = factory.SubFactory(WarehouseFactory)
    quantity = 10
