"""Файлы целиком: формат, стражи, кодировки, экспорт и круговой путь экспорт → импорт."""

import io
import zipfile

import openpyxl
import pytest

from commerce.catalog.models import Product, Variant
from commerce.exchange import export
from commerce.exchange.models import ImportJob, ImportStatus
from commerce.exchange.readers import workbook_open
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice
from tests.factories.exchange import csv_bytes, import_apply, import_job_make, import_preview, xlsx_bytes

pytestmark = pytest.mark.django_db


def catalog_state():
    """Снимок каталога для сравнения: товары, варианты, цены, остатки, атрибуты."""
    return {
        "products": sorted(Product.objects.values_list("slug", "name", "description", "brand_id", "main_category_id")),
        "variants": sorted(Variant.objects.values_list("sku", "barcode", "name", "product__slug")),
        "prices": sorted(VariantPrice.objects.values_list("variant__sku", "price_list__code", "price", "old_price")),
        "stocks": sorted(Stock.objects.values_list("variant__sku", "warehouse__code", "quantity", "reserved")),
        "attrs": sorted(
            (value.variant.sku, value.attribute.code, value.choice_id, value.value_text, value.value_number)
            for model in [Variant]
            for variant in model.objects.prefetch_related("attribute_values")
            for value in variant.attribute_values.all()
        ),
    }


def export_bytes(file_format="xlsx", **filters):
    buffer = io.BytesIO()
    export.export_write(fileobj=buffer, file_format=file_format, **filters)
    return buffer.getvalue()


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(catalog, file_format):
    # given: каталог с ценами в двух прайс-листах, остатками, атрибутами товара и варианта
    before = catalog_state()
    data = export_bytes(file_format)

    # when
    job = import_apply(data, name=f"catalog.{file_format}")

    # then
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.rows_created, job.rows_updated, job.rows_rejected) == (0, 0, 0)
    assert job.rows_unchanged == Variant.objects.count()
    assert catalog_state() == before


def test_export_is_a_workbook_that_openpyxl_reads(catalog):
    data = export_bytes()

    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0][:8] == ("sku", "barcode", "variant_name", "slug", "name", "category", "brand", "description")
    assert "price:base" in rows[0] and "stock:msk-1" in rows[0] and "attr:color" in rows[0]
    phone = next(row for row in rows if row[0] == "phone-a-1")
    assert phone[5] == "Электроника / Смартфоны"
    assert phone[rows[0].index("product_attr:nfc")] == "да"
    assert phone[rows[0].index("product_attr:diagonal")] == "6.1"


def test_export_of_text_starting_with_equals_stays_text(catalog):
    Product.objects.filter(pk=catalog.laptop.pk).update(name="=HYPERLINK(1)")

    sheet = openpyxl.load_workbook(io.BytesIO(export_bytes())).active
    names = [row[4] for row in sheet.iter_rows(values_only=True)]

    assert "=HYPERLINK(1)" in names
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_export_filtered_by_category_and_region(catalog):
    data = export_bytes(category=catalog.electronics, region=catalog.spb)

    rows = list(openpyxl.load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))

    assert sorted(row[0] for row in rows[1:]) == ["laptop-c-1", "phone-a-1", "phone-b-1"]
    assert "price:msk" not in rows[0] and "stock:msk-1" not in rows[0] and "stock:spb-1" in rows[0]


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("cp1251", False)], ids=["utf8", "utf8-bom", "cp1251"]
)
def test_csv_in_any_russian_encoding_is_read(catalog, encoding, bom):
    rows = [["sku", "name", "category", "brand"], ["NEW-1", "Ёлка «Зимняя»", "Одежда", "Acme"]]

    job = import_apply(csv_bytes(rows, encoding=encoding, bom=bom), name="catalog.csv")

    assert job.status == ImportStatus.DONE, job.errors
    assert Product.objects.get(name="Ёлка «Зимняя»").main_category == catalog.clothes


def test_csv_with_comma_delimiter_is_read(catalog):
    data = csv_bytes([["sku", "price:base"], ["phone-a-1", "123.45"]], delimiter=",")

    job = import_apply(data, name="catalog.csv")

    assert job.rows_updated == 1


def rejected_code(data, name="catalog.xlsx"):
    """Вернуть код и причину, с которыми задача проверки отклонила файл целиком (запрос его принял)."""
    job = import_preview(data, name=name)
    assert job.status == ImportStatus.FAILED
    return job.error_code, job.error_message


def refused_code(data, name="catalog.xlsx"):
    """Вернуть код и причину, с которыми файл отклонён уже в запросе загрузки (без разбора)."""
    from commerce.exchange.services import ExchangeFileInvalid

    with pytest.raises(ExchangeFileInvalid) as caught:
        import_job_make(data, name=name)
    assert not ImportJob.objects.exists()
    return caught.value.default_code, str(caught.value.detail)


def test_unknown_column_rejects_file(catalog):
    code, message = rejected_code(xlsx_bytes([["sku", "colour"], ["phone-a-1", "red"]]))

    assert code == "header_unknown_column"
    assert "«colour»" in message


def test_unknown_price_list_rejects_file(catalog):
    code, _message = rejected_code(xlsx_bytes([["sku", "price:nowhere"], ["phone-a-1", "1"]]))

    assert code == "header_unknown_price_list"


def test_one_cell_file_is_rejected(catalog):
    assert rejected_code(xlsx_bytes([["sku"]]))[0] == "file_empty"
    assert rejected_code(xlsx_bytes([["hello"]]))[0] == "header_unknown_column"


def test_file_without_sku_column_is_rejected(catalog):
    assert rejected_code(xlsx_bytes([["name", "price:base"], ["Телефон", "1"]]))[0] == "header_sku_missing"


def test_merged_header_cells_are_rejected_clearly(catalog):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["sku", "Цены", None])
    sheet.append(["phone-a-1", "1", "2"])
    sheet.merge_cells("B1:C1")
    buffer = io.BytesIO()
    workbook.save(buffer)

    code, _message = rejected_code(buffer.getvalue())

    assert code in {"header_empty_cell", "header_unknown_column"}


def test_not_a_spreadsheet_is_rejected(catalog):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)

    assert refused_code(png, name="photo.png")[0] == "file_not_spreadsheet"


def test_legacy_xls_is_rejected_with_advice(catalog):
    code, message = refused_code(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), name="old.xls")

    assert code == "file_legacy_xls"
    assert "XLSX" in message


def test_zip_that_is_not_a_workbook_is_rejected(catalog):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    assert rejected_code(buffer.getvalue())[0] == "file_not_spreadsheet"


def test_zip_bomb_sized_archive_is_rejected_before_reading(catalog, settings):
    # given: лист в 64 МБ нулей сжимается в ~64 КБ — степень сжатия около 1000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"0" * (1 << 20)
            for _ in range(64):
                member.write(block)

    code, message = rejected_code(buffer.getvalue())

    assert code == "file_archive_suspicious"
    assert "zip-бомб" in message


def test_oversized_unpacked_workbook_is_rejected(catalog, settings):
    settings.EXCHANGE_MAX_UNPACKED_BYTES = 1024

    assert rejected_code(xlsx_bytes([["sku", "price:base"], ["phone-a-1", "1"]]))[0] == "file_archive_suspicious"


def test_too_large_upload_is_rejected(catalog, settings):
    settings.EXCHANGE_MAX_UPLOAD_BYTES = 10

    assert refused_code(xlsx_bytes([["sku"], ["x"]]))[0] == "file_too_large"


def test_reader_reads_shared_strings_and_sparse_cells():
    data = xlsx_bytes([["sku", None, "name"], ["A-1", None, "Товар"]])

    workbook = workbook_open(io.BytesIO(data))
    rows = list(workbook.sheet(workbook.sheet_names[0]).rows)

    assert rows == [(1, ["sku", None, "name"]), (2, ["A-1", None, "Товар"])]


def test_sheet_with_entity_declarations_is_rejected_as_broken(catalog):
    # given: лист с DTD и сущностью («миллиард смехов» начинается так же)
    data = xlsx_bytes([["sku", "price:base"], ["phone-a-1", "5"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, body = content.split(b"?>", 1) if content.startswith(b"<?xml") else (None, content)
                doctype = b'<!DOCTYPE x [<!ENTITY lol "lol">]>'
                content = (head + b"?>" if head is not None else b"") + doctype + body
            target.writestr(item, content)

    # when / then: запрос загрузки файл не разбирает; задача проверки отклоняет его как повреждённый
    assert rejected_code(buffer.getvalue())[0] == "file_broken"
