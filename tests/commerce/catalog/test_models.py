"""Инварианты моделей каталога: внешние id, штрихкоды, значения атрибутов, поддерево категорий."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commerce.catalog import services
from commerce.catalog.models import (
    ExternalSystem,
    Product,
    ProductAttributeValue,
    ProductCategoryIndex,
    Variant,
    ean13_is_valid,
)
from commerce.catalog.selectors import external_id_lookup

pytestmark = pytest.mark.django_db


def test_external_id_is_unique_per_system_and_finds_the_object(catalog):
    services.external_id_set(obj=catalog.laptop, system=ExternalSystem.ONEC, value="guid-1")
    services.external_id_set(obj=catalog.shirt, system=ExternalSystem.MOYSKLAD, value="guid-1")
    assert external_id_lookup(model=Product, system=ExternalSystem.ONEC, value="guid-1") == catalog.laptop
    with pytest.raises(IntegrityError), transaction.atomic():
        services.external_id_set(obj=catalog.shirt, system=ExternalSystem.ONEC, value="guid-1")


@pytest.mark.parametrize(("code", "valid"), [("4006381333931", True), ("4006381333932", False), ("123", False)])
def test_ean13_checksum(code, valid):
    assert ean13_is_valid(code) is valid


def test_variant_rejects_bad_barcode(catalog):
    variant = Variant(product=catalog.laptop, sku="X-1", barcode="4006381333932")
    with pytest.raises(ValidationError) as error:
        variant.full_clean()
    assert "barcode" in error.value.message_dict


def test_attribute_value_must_have_a_value(catalog):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductAttributeValue.objects.create(product=catalog.laptop, attribute=catalog.material)


def test_choice_value_of_another_attribute_is_rejected(catalog):
    value = ProductAttributeValue(product=catalog.laptop, attribute=catalog.nfc, choice=catalog.black)
    with pytest.raises(ValidationError):
        value.clean()


def test_product_create_always_makes_a_variant(catalog):
    product = services.product_create(name="Новый", slug="new-one", main_category=catalog.phones, sku="NEW-1")
    assert list(product.variants.values_list("sku", flat=True)) == ["NEW-1"]


def test_moving_a_category_moves_its_products_to_new_ancestors(catalog):
    # when: «Ноутбуки» переезжают в «Одежду»
    services.category_move(category=catalog.laptops, target=catalog.clothes, position="last-child")
    # then
    ancestors = set(
        ProductCategoryIndex.objects.filter(product=catalog.laptop).values_list("category__slug", flat=True)
    )
    assert ancestors == {"clothes", "laptops"}
