"""Пересчёт индексов фильтров разностный: неизменные пары не переписываются, лишние уходят, новые приходят."""

import pytest

from commerce.catalog.indexing import product_index_refresh
from commerce.catalog.models import Product, ProductCategoryIndex, ProductChoiceIndex, VariantAttributeValue
from tests.row_versions import row_versions

pytestmark = pytest.mark.django_db


def index_versions():
    """Вернуть версии всех строк обоих индексов: переписанная строка получает новую."""
    return row_versions("catalog_productcategoryindex", ["category_id", "product_id"]) + row_versions(
        "catalog_productchoiceindex", ["choice_id", "product_id"]
    )


def test_refresh_of_unchanged_catalog_rewrites_nothing(catalog):
    before = index_versions()
    product_index_refresh()
    product_index_refresh(product_ids=[catalog.phone_black.pk, catalog.shirt.pk])
    assert index_versions() == before


def test_refresh_removes_stale_pairs_and_adds_new_ones_of_listed_products_only(catalog):
    # given: телефон перенесён в «Ноутбуки» и перекрашен мимо save() (как массовая запись)
    phone, laptop = catalog.phone_black, catalog.laptop
    Product.objects.filter(pk=phone.pk).update(main_category=catalog.laptops)
    VariantAttributeValue.objects.filter(variant=phone.variant).update(choice=catalog.white)
    Product.objects.filter(pk=laptop.pk).update(main_category=catalog.clothes)
    # when: пересчитан только телефон
    product_index_refresh(product_ids=[phone.pk])
    # then
    assert set(ProductCategoryIndex.objects.filter(product=phone).values_list("category_id", flat=True)) == {
        catalog.electronics.pk,
        catalog.laptops.pk,
    }
    assert set(ProductChoiceIndex.objects.filter(product=phone).values_list("choice_id", flat=True)) == {
        catalog.white.pk
    }
    # ноутбук не пересчитывался — его пары прежние
    assert set(ProductCategoryIndex.objects.filter(product=laptop).values_list("category_id", flat=True)) == {
        catalog.electronics.pk,
        catalog.laptops.pk,
    }
