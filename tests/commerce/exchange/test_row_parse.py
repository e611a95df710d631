"""Шаги «заголовок» и «строка» импорта без базы данных: справочники — в памяти.

Тесты не помечены django_db: любой запрос к базе в разборе заголовка или строки упал бы с
«Database access not allowed» — так проверено, что разбор не ходит в базу.
"""

from decimal import Decimal

import pytest

from commerce.catalog.models import AttributeType
from commerce.exchange import error_codes
from commerce.exchange.import_header import header_parse
from commerce.exchange.import_rows import RowParser, RowRejected, row_empty
from commerce.exchange.readers import ExchangeFileError
from commerce.exchange.sheet_format import CLEAR, text_normalize


class MemoryLookup:
    """Справочники импорта (как lookups.CatalogLookup), заданные словарями."""

    price_lists = {"base": {"id": 1, "code": "base", "region_id": None}}
    warehouses = {"msk-1": {"id": 7, "code": "msk-1", "region_id": 1}}
    attributes = {
        "color": {"id": 11, "code": "color", "name": "Цвет", "type": AttributeType.CHOICE},
        "diagonal": {"id": 12, "code": "diagonal", "name": "Диагональ", "type": AttributeType.NUMBER},
        "nfc": {"id": 13, "code": "nfc", "name": "NFC", "type": AttributeType.BOOLEAN},
    }
    choices = {11: {text_normalize("Чёрный"): 101, "black": 101}}

    def choice_find(self, attribute_id, text):
        return self.choices.get(attribute_id, {}).get(text_normalize(text))


TITLES = ["sku", "barcode", "name", "slug", "price:base", "old_price:base", "stock:msk-1", "attr:color"]
TITLES += ["product_attr:diagonal", "attr:nfc"]


def parser():
    lookup = MemoryLookup()
    return RowParser(lookup=lookup, header=header_parse(TITLES, lookup))


def test_header_maps_columns_to_reference_ids():
    header = header_parse([*TITLES, None, "  "], MemoryLookup())
    assert [column.title for column in header.columns] == TITLES
    assert set(header.prices) == {"base"}
    assert set(header.stocks) == {"msk-1"}
    assert set(header.attrs) == {"color", "nfc"}


@pytest.mark.parametrize(
    ("titles", "code"),
    [
        (["name"], error_codes.HEADER_SKU_MISSING),
        (["sku", "sku"], error_codes.HEADER_DUPLICATE),
        (["sku", "", "name"], error_codes.HEADER_EMPTY_CELL),
        (["sku", "price:nope"], error_codes.HEADER_UNKNOWN_PRICE_LIST),
        (["sku", "stock:nope"], error_codes.HEADER_UNKNOWN_WAREHOUSE),
        (["sku", "attr:nope"], error_codes.HEADER_UNKNOWN_ATTRIBUTE),
        (["sku", "colour"], error_codes.HEADER_UNKNOWN_COLUMN),
    ],
)
def test_bad_header_names_the_reason(titles, code):
    with pytest.raises(ExchangeFileError) as caught:
        header_parse(titles, MemoryLookup())
    assert caught.value.code == code


def test_row_parses_cells_into_typed_values():
    # given
    values = ["PH-1", CLEAR, "Телефон", "Phone-A", "19 990,50", "", "5", "Чёрный", "6,1", "да"]
    # when
    row = parser().row_parse(2, values)
    # then
    assert row.sku == "PH-1"
    assert row.barcode == CLEAR
    assert row.product == {"slug": "phone-a", "name": "Телефон"}
    assert row.product_key == ("slug", "phone-a")
    assert row.prices == {1: Decimal("19990.50")}
    assert row.old_prices == {}
    assert row.stocks == {7: 5}
    assert row.attrs == {11: (101, "", None, None), 13: (None, "", None, True)}
    assert row.product_attrs == {12: (None, "", Decimal("6.1000"), None)}


@pytest.mark.parametrize(
    ("values", "code"),
    [
        (["", "", "Телефон"], error_codes.ROW_SKU_MISSING),
        (["PH-1", "4600000000001"], error_codes.ROW_BARCODE_INVALID),
        (["PH-1", "", "", "Не латиница"], error_codes.ROW_INVALID),
        (["PH-1", "", "", "", "двадцать"], error_codes.ROW_NOT_NUMBER),
        (["PH-1", "", "", "", "", "", "-3"], error_codes.ROW_NEGATIVE),
        (["PH-1", "", "", "", "", "", "", "Розовый"], error_codes.ROW_CHOICE_UNKNOWN),
        (["PH-1", "", "", "", "", "", "", "", "1,00001"], error_codes.ROW_TOO_PRECISE),
    ],
)
def test_bad_row_is_rejected_with_its_code(values, code):
    with pytest.raises(RowRejected) as caught:
        parser().row_parse(3, values)
    assert caught.value.code == code


def test_repeated_sku_is_rejected_after_the_first_row_is_accepted():
    rows = parser()
    first = rows.row_parse(2, ["PH-1"])
    rows.row_accept(first)
    with pytest.raises(RowRejected) as caught:
        rows.row_parse(5, ["PH-1"])
    assert caught.value.code == error_codes.ROW_SKU_DUPLICATE
    assert "строке 2" in caught.value.message


def test_product_fields_must_agree_across_its_variant_rows():
    rows = parser()
    rows.signature_check(rows.row_parse(2, ["PH-1", "", "Телефон", "phone-a", "", "", "", "", "6,1"]))
    with pytest.raises(RowRejected) as caught:
        rows.signature_check(rows.row_parse(3, ["PH-2", "", "Телефон", "phone-a", "", "", "", "", "6,7"]))
    assert caught.value.code == error_codes.ROW_PRODUCT_CONFLICT


def test_blank_row_is_empty():
    assert row_empty([None, "  ", ""])
    assert not row_empty([None, "x"])
