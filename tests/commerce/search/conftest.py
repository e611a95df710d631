"""Фикстуры поиска: каталог из tests/commerce/fixtures.py, дополненный товарами для поиска."""

import pytest

from commerce.catalog.models import ProductAttributeValue


@pytest.fixture
def shop(catalog):
    """Каталог с ноутбуками, артикулами-ловушками и ё в названиях.

    «Ноутбук В» (laptop-c) уже есть; добавлены «Ноутбук Acme Pro 14» с текстовым атрибутом,
    «Зелёная ёлка» и чехол, в названии которого артикул другого товара.
    """
    world = catalog
    world.laptop_pro = world.product(
        "Ноутбук Acme Pro 14", "laptop-pro", world.laptops, world.acme, "120000", diagonal=14, msk_price="115000"
    )
    ProductAttributeValue.objects.create(product=world.laptop_pro, attribute=world.material, value_text="Алюминий")
    world.tree = world.product("Зелёная ёлка искусственная", "tree", world.clothes, None, "3000")
    # Название дважды содержит артикул «NB777» ноутбука ниже (по полнотекстовой релевантности
    # чехол выше), но точное совпадение артикула всё равно первое.
    world.decoy = world.product("Чехол NB777 для NB777", "decoy", world.clothes, world.globex, "500")
    world.sku_laptop = world.product("Ноутбук Globex Air", "laptop-air", world.laptops, world.globex, "70000")
    world.sku_laptop.variant.sku = "NB777"
    world.sku_laptop.variant.save()
    return world
