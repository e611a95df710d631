"""Импорт каталога: создание, обновление, пробный прогон, ошибки строк, частичные файлы, режимы."""

from decimal import Decimal

import openpyxl
import pytest

from commerce.catalog.models import Brand, Category, Product, ProductCategoryIndex, ProductOffer, Variant
from commerce.exchange.models import ImportMode, ImportStatus
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice
from tests.factories.catalog import StockFactory
from tests.factories.exchange import import_apply, import_preview, xlsx_bytes

pytestmark = pytest.mark.django_db

EAN_1 = "4600000000015"
EAN_2 = "4600000000022"


def laptop_rows(header, *, price_two="1 500,50"):
    return [
        header,
        [
            "NB-1", EAN_1, "16 ГБ", "nb-one", "Ноутбук Один", "Электроника / Ноутбуки", "Acme", "<p>Лёгкий</p>",
            "black", "12,5", "20", 3,
        ],
        [
            "NB-2", EAN_2, "32 ГБ", "nb-one", "Ноутбук Один", "Электроника / Ноутбуки", "Acme", "<p>Лёгкий</p>",
            "white", price_two, None, 0,
        ],
    ]  # fmt: skip


def test_import_creates_product_with_variants_prices_stock_and_filters(catalog, header):
    # given: файл с одним товаром в двух вариантах
    data = xlsx_bytes(laptop_rows(header))

    # when
    job = import_apply(data)

    # then: товар, варианты, цены, остатки и денормализованные таблицы каталога
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.rows_created, job.rows_rejected) == (2, 0)
    product = Product.objects.get(slug="nb-one")
    assert product.main_category == catalog.laptops
    assert product.brand == catalog.acme
    assert list(product.variants.order_by("sku").values_list("sku", "barcode", "name")) == [
        ("NB-1", EAN_1, "16 ГБ"),
        ("NB-2", EAN_2, "32 ГБ"),
    ]
    first = VariantPrice.objects.get(variant__sku="NB-1", price_list=catalog.base_list)
    assert (first.price, first.old_price) == (Decimal("12.50"), Decimal("20.00"))
    assert VariantPrice.objects.get(variant__sku="NB-2").price == Decimal("1500.50")
    assert Stock.objects.get(variant__sku="NB-1", warehouse=catalog.msk_warehouse).quantity == 3
    assert Variant.objects.get(sku="NB-2").attribute_values.get().choice == catalog.white
    assert ProductCategoryIndex.objects.filter(product=product, category=catalog.electronics).exists()
    offer = ProductOffer.objects.get(product=product, region=catalog.msk)
    assert (offer.price, offer.in_stock) == (Decimal("12.50"), True)


def test_dry_run_writes_nothing_but_predicts_every_row(catalog, header):
    # given
    products_before = Product.objects.count()
    data = xlsx_bytes(laptop_rows(header))

    # when
    job = import_preview(data)

    # then
    assert job.status == ImportStatus.PREVIEW
    assert (job.rows_created, job.rows_updated, job.rows_unchanged, job.rows_rejected) == (2, 0, 0, 0)
    assert [row[:3] for row in job.preview] == [[2, "created", "NB-1"], [3, "created", "NB-2"]]
    assert Product.objects.count() == products_before
    assert not Variant.objects.filter(sku__in=["NB-1", "NB-2"]).exists()


def test_bad_number_is_rejected_with_russian_reason_and_nothing_is_written(catalog, header):
    # given: «12,5О» — с русской буквой О вместо нуля
    data = xlsx_bytes(laptop_rows(header, price_two="12,5О"))

    # when
    job = import_apply(data)

    # then: всё или ничего — ни одна строка не записана
    assert job.status == ImportStatus.REJECTED
    assert job.errors[0]["message"] == "строка 3: цена «12,5О» не число"
    assert job.errors[0]["code"] == "not_number"
    assert not Variant.objects.filter(sku="NB-1").exists()


def test_skip_invalid_applies_valid_rows_and_returns_rejected_rows_file(catalog, header):
    # given
    data = xlsx_bytes(laptop_rows(header, price_two="abc"))

    # when
    job = import_apply(data, mode=ImportMode.SKIP_INVALID)

    # then: верная строка записана, неверная — в файле с причиной
    assert job.status == ImportStatus.DONE
    assert (job.rows_created, job.rows_rejected) == (1, 1)
    assert Variant.objects.filter(sku="NB-1").exists()
    assert not Variant.objects.filter(sku="NB-2").exists()
    with job.rejected_file.open("rb") as stored:
        rows = list(openpyxl.load_workbook(stored, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][-1] == "reason"
    assert rows[1][0] == "NB-2"
    assert rows[1][-1] == "строка 3: цена «abc» не число"


def test_partial_file_with_sku_and_price_updates_only_prices(catalog):
    # given: у телефона есть цена, остаток и атрибуты
    variant = catalog.phone_black.variant
    data = xlsx_bytes([["sku", "price:base"], [variant.sku, "21 000"]])

    # when
    job = import_apply(data)

    # then
    assert (job.status, job.rows_updated) == (ImportStatus.DONE, 1)
    assert VariantPrice.objects.get(variant=variant, price_list=catalog.base_list).price == Decimal("21000.00")
    assert VariantPrice.objects.get(variant=variant, price_list=catalog.msk_list).price == Decimal("19000.00")
    product = Product.objects.get(pk=catalog.phone_black.pk)
    assert (product.name, product.brand_id, product.main_category_id) == (
        "Телефон А",
        catalog.acme.pk,
        catalog.phones.pk,
    )
    assert Stock.objects.get(variant=variant).quantity == 5
    assert ProductOffer.objects.get(product=product, region=catalog.spb).price == Decimal("21000.00")


def test_unchanged_row_is_reported_unchanged(catalog):
    variant = catalog.phone_black.variant
    data = xlsx_bytes([["sku", "price:base", "stock:msk-1"], [variant.sku, 20000, 5]])

    job = import_apply(data)

    assert (job.rows_unchanged, job.rows_updated) == (1, 0)


@pytest.mark.parametrize(
    ("row", "code", "message"),
    [
        ([None, "100", 1], "sku_missing", "строка 3: не указан артикул (sku)"),
        (["laptop-c-1", "100", -2], "negative", "строка 3: остаток «-2» отрицательный"),
        (["laptop-c-1", "100", "2,5"], "not_integer", "строка 3: остаток «2,5» не целое число"),
        (["laptop-c-1", "-5", 1], "negative", "строка 3: цена «-5» отрицательна"),
        (["laptop-c-1", "1,005", 1], "too_precise", "строка 3: цена «1,005»: больше двух знаков после запятой"),
        (["NEW-1", "100", 1], "product_fields_required", None),
    ],
)
def test_malformed_row_is_rejected_with_code_and_nothing_written(catalog, row, code, message):
    # given: верная первая строка и неверная вторая
    variant = catalog.phone_black.variant
    data = xlsx_bytes([["sku", "price:base", "stock:msk-1"], [variant.sku, "1", 1], row])

    # when
    job = import_apply(data)

    # then
    assert job.status == ImportStatus.REJECTED
    assert [error["code"] for error in job.errors] == [code]
    if message:
        assert job.errors[0]["message"] == message
    assert VariantPrice.objects.get(variant=variant, price_list=catalog.base_list).price == Decimal("20000.00")


def test_duplicate_sku_in_file_is_rejected_with_first_row(catalog):
    sku = catalog.phone_black.variant.sku
    data = xlsx_bytes([["sku", "price:base"], [sku, "1"], [sku, "2"]])

    job = import_apply(data)

    assert job.status == ImportStatus.REJECTED
    assert job.errors[0]["message"] == f"строка 3: артикул «{sku}» уже был в строке 2"


def test_stock_below_reserved_is_rejected(catalog):
    # given: 5 на складе, 4 в резерве
    variant = catalog.phone_black.variant
    Stock.objects.filter(variant=variant).update(reserved=4)

    job = import_apply(xlsx_bytes([["sku", "stock:msk-1"], [variant.sku, 3]]))

    assert job.errors[0]["code"] == "stock_below_reserved"
    assert Stock.objects.get(variant=variant).quantity == 5


def test_old_price_must_be_greater_than_price(catalog):
    variant = catalog.phone_black.variant

    job = import_apply(xlsx_bytes([["sku", "old_price:base"], [variant.sku, "19999"]]))

    assert job.errors[0]["code"] == "old_price_not_greater"


def test_dash_clears_price_and_old_price(catalog):
    variant = catalog.phone_black.variant

    job = import_apply(xlsx_bytes([["sku", "price:msk"], [variant.sku, "-"]]))

    assert job.status == ImportStatus.DONE
    assert not VariantPrice.objects.filter(variant=variant, price_list=catalog.msk_list).exists()


def test_unknown_category_and_brand_are_created_only_when_allowed(catalog, header):
    rows = [
        header,
        ["NEW-1", None, None, "kettle", "Чайник", "Дом / Кухня", "Новый Бренд", None, None, "990", None, 1],
    ]
    refused = import_apply(xlsx_bytes(rows))
    assert {error["code"] for error in refused.errors} == {"category_unknown"}
    assert not Category.objects.filter(name="Кухня").exists()

    created = import_apply(xlsx_bytes(rows), create_missing=True)

    assert created.status == ImportStatus.DONE, created.errors
    kitchen = Category.objects.get(name="Кухня")
    assert kitchen.get_parent().name == "Дом"
    assert kitchen.slug == "kukhnya"
    assert Brand.objects.get(name="Новый Бренд").slug == "novyy-brend"
    assert Product.objects.get(slug="kettle").main_category == kitchen


def test_category_path_ignores_case_and_yo(catalog):
    Category.objects.filter(pk=catalog.laptops.pk).update(name="Ноутбуки и всё")
    rows = [["sku", "name", "category"], ["NEW-1", "Ноут", "электроника / НОУТБУКИ И ВСЕ"]]

    job = import_apply(xlsx_bytes(rows))

    assert job.status == ImportStatus.DONE, job.errors
    assert Product.objects.get(name="Ноут").main_category_id == catalog.laptops.pk


def test_product_spanning_chunks_is_created_once(catalog, header):
    data = xlsx_bytes(laptop_rows(header))

    job = import_apply(data, chunk_rows=1)

    assert job.rows_created == 2
    assert Product.objects.get(slug="nb-one").variants.count() == 2


def test_conflicting_product_fields_between_rows_are_rejected(catalog, header):
    rows = laptop_rows(header)
    rows[2][4] = "Другое название"

    job = import_apply(xlsx_bytes(rows))

    assert job.errors[0]["code"] == "product_conflict"


def test_barcode_of_another_variant_is_rejected(catalog):
    Variant.objects.filter(pk=catalog.laptop.variant.pk).update(barcode=EAN_1)

    job = import_apply(xlsx_bytes([["sku", "barcode"], [catalog.phone_black.variant.sku, EAN_1]]))

    assert job.errors[0]["code"] == "barcode_taken"


def test_unknown_choice_value_is_rejected(catalog):
    job = import_apply(xlsx_bytes([["sku", "attr:color"], [catalog.phone_black.variant.sku, "фиолетовый"]]))

    assert job.errors[0]["message"] == "строка 2: Цвет «фиолетовый»: нет такого значения в списке"


def test_empty_trailing_rows_and_formula_values_are_handled(catalog):
    # given: openpyxl сохраняет формулу без вычисленного значения, Excel — с ним; пустые хвосты
    variant = catalog.phone_black.variant
    data = xlsx_bytes([["sku", "price:base"], [variant.sku, 500], [None, None], ["", ""]])

    job = import_apply(data)

    assert (job.status, job.rows_total) == (ImportStatus.DONE, 1)


def test_stock_is_kept_in_sync_with_reserved_existing_rows(catalog):
    variant = catalog.phone_white.variant
    StockFactory(variant=variant, warehouse=catalog.spb_warehouse, quantity=2, reserved=1)

    job = import_apply(xlsx_bytes([["sku", "stock:spb-1"], [variant.sku, 7]]))

    stock = Stock.objects.get(variant=variant, warehouse=catalog.spb_warehouse)
    assert (job.rows_updated, stock.quantity, stock.reserved) == (1, 7, 1)
