"""Форма варианта в Wagtail admin: цены и остатки — строки варианта, но меняются только с правами на них."""

from decimal import Decimal

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from commerce.catalog.models import Variant
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice
from tests.factories.accounts import staff_user_with
from tests.factories.catalog import PriceListFactory

pytestmark = pytest.mark.django_db

VARIANT_EDITOR = ("wagtailadmin.access_admin", "catalog.view_variant", "catalog.change_variant")


def edit_url(variant):
    from django.urls import reverse

    return reverse(Variant.snippet_viewset.get_url_name("edit"), args=[variant.pk])


def variant_post(variant, *, name, price, quantity, extra_price_list=None):
    """Данные формы варианта: новое название, цена базового прайс-листа и остаток (и, если надо, новая цена)."""
    current = VariantPrice.objects.get(variant=variant, price_list__code="base")
    stock = Stock.objects.get(variant=variant)
    prices = [{"id": current.pk, "price_list": current.price_list_id, "price": price, "old_price": ""}]
    if extra_price_list is not None:
        prices.append({"id": "", "price_list": extra_price_list.pk, "price": "1.00", "old_price": ""})
    return nested_form_data(
        {
            "product": variant.product_id,
            "sku": variant.sku,
            "barcode": variant.barcode or "",
            "name": name,
            "weight_grams": "",
            "length_mm": "",
            "width_mm": "",
            "height_mm": "",
            "is_active": "on",
            "sort_order": "0",
            "attribute_values": inline_formset([]),
            "prices": inline_formset(prices, initial=1),
            "stocks": inline_formset(
                [{"id": stock.pk, "warehouse": stock.warehouse_id, "quantity": quantity, "reserved": stock.reserved}],
                initial=1,
            ),
        }
    )


def test_variant_editor_without_price_and_stock_permissions_cannot_change_them(client, catalog):
    # given: право править вариант есть, прав на цены и остатки нет
    variant = catalog.phone_black.variant
    spb_list = PriceListFactory(code="spb", name="Петербург", region=catalog.spb)
    client.force_login(staff_user_with(*VARIANT_EDITOR))

    # when: форма приходит с новой ценой 1.00, новым остатком и новой строкой цены
    response = client.post(
        edit_url(variant),
        variant_post(variant, name="Чёрный", price="1.00", quantity="999", extra_price_list=spb_list),
    )

    # then: вариант сохранён, цены и остатки — прежние
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.name == "Чёрный"
    assert VariantPrice.objects.get(variant=variant, price_list=catalog.base_list).price == Decimal("20000.00")
    assert not VariantPrice.objects.filter(variant=variant, price_list=spb_list).exists()
    assert Stock.objects.get(variant=variant).quantity == 5


def test_variant_editor_with_price_and_stock_permissions_changes_them(client, catalog):
    variant = catalog.phone_black.variant
    client.force_login(staff_user_with(*VARIANT_EDITOR, "pricing.change_variantprice", "inventory.change_stock"))

    response = client.post(edit_url(variant), variant_post(variant, name="Чёрный", price="1.00", quantity="999"))

    assert response.status_code == 302
    assert VariantPrice.objects.get(variant=variant, price_list=catalog.base_list).price == Decimal("1.00")
    assert Stock.objects.get(variant=variant).quantity == 999
