"""Шаг импорта «строка»: значения ячеек строки → ParsedRow или RowRejected с причиной.

Без базы данных: справочники (lookups.CatalogLookup) уже в памяти, поэтому разбор строки
проверяется тестом без базы. Горячий путь импорта (вызывается на каждой строке файла): столбцы
сопоставлены заранее (RowParser._plan), пустая ячейка отсеивается до всякого разбора, подписи
сообщений ленивые.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commerce.catalog.models import SLUG_VALIDATOR, AttributeType, ean13_is_valid
from commerce.exchange import error_codes, sheet_format
from commerce.exchange.readers import FormulaError
from commerce.exchange.sheet_format import CLEAR, CellError, cell_text

# Подписи для сообщений — ленивые: gettext на каждой строке файла заметно тормозит разбор.
LABEL_PRICE = gettext_lazy("цена")
LABEL_OLD_PRICE = gettext_lazy("старая цена")
LABEL_STOCK = gettext_lazy("остаток")
LABEL_SKU = gettext_lazy("артикул")
LABEL_VARIANT_NAME = gettext_lazy("название варианта")
LABEL_NAME = gettext_lazy("название")
LABEL_BRAND = gettext_lazy("бренд")
# Правило SLUG_VALIDATOR каталога без накладных расходов вызова валидатора на каждой строке.
SLUG_PATTERN = SLUG_VALIDATOR.regex
NUMBER_QUANT = Decimal("0.0001")


class RowRejected(Exception):
    """Строка отклонена: code и причина по-русски (без префикса «строка N»)."""

    def __init__(self, code, message, column=""):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.column = column


@dataclass
class ParsedRow:
    """Строка файла после разбора: только то, что в ней задано (None — не менять, CLEAR — очистить)."""

    number: int
    values: list
    sku: str = ""
    barcode: object = None
    variant_name: object = None
    product_key: tuple = ()
    product: dict = field(default_factory=dict)
    prices: dict = field(default_factory=dict)
    old_prices: dict = field(default_factory=dict)
    stocks: dict = field(default_factory=dict)
    attrs: dict = field(default_factory=dict)
    product_attrs: dict = field(default_factory=dict)


class RowParser:
    """Разборщик строк листа по заголовку: помнит артикулы, штрихкоды и товары уже принятых строк.

    Args:
        lookup: справочники (lookups.CatalogLookup).
        header: разобранный заголовок (import_header.header_parse).
    """

    def __init__(self, *, lookup, header):
        self.lookup = lookup
        self.header = header
        self.seen_skus = {}
        self.seen_barcodes = {}
        self.product_signatures = {}
        self._plan()

    def _plan(self):
        """Заранее сопоставить столбцы цен, остатков и атрибутов с id справочников (один раз на файл)."""
        header, lookup = self.header, self.lookup
        self.price_plan = [(column, lookup.price_lists[key]["id"]) for key, column in header.prices.items()]
        self.old_price_plan = [(column, lookup.price_lists[key]["id"]) for key, column in header.old_prices.items()]
        self.stock_plan = [(column, lookup.warehouses[key]["id"]) for key, column in header.stocks.items()]
        self.attr_plan = [(column, lookup.attributes[key], False) for key, column in header.attrs.items()]
        self.attr_plan += [(column, lookup.attributes[key], True) for key, column in header.product_attrs.items()]

    def row_parse(self, number, values):
        """Разобрать строку в ParsedRow; RowRejected — первая найденная причина.

        Горячий путь импорта (вызывается на каждой строке файла): столбцы сопоставлены заранее
        (_plan), пустая ячейка отсеивается до всякого разбора, подписи сообщений ленивые.
        """
        row = ParsedRow(number=number, values=values)
        width = len(values)
        fixed = self.header.fixed
        row.sku = sku = _text(_cell(values, width, fixed[sheet_format.SKU]))
        if not sku:
            raise RowRejected(error_codes.ROW_SKU_MISSING, _("не указан артикул (sku)"), sheet_format.SKU)
        _text_check(sku, 64, LABEL_SKU, sheet_format.SKU)
        if sku in self.seen_skus:
            raise RowRejected(
                error_codes.ROW_SKU_DUPLICATE,
                _("артикул «%(sku)s» уже был в строке %(first)s") % {"sku": sku, "first": self.seen_skus[sku]},
                sheet_format.SKU,
            )
        column = fixed.get(sheet_format.BARCODE)
        if column is not None:
            barcode = _text(_cell(values, width, column))
            if barcode == CLEAR:
                row.barcode = CLEAR
            elif barcode:
                if not ean13_is_valid(barcode):
                    raise RowRejected(
                        error_codes.ROW_BARCODE_INVALID,
                        _("штрихкод «%(value)s» не EAN-13 (13 цифр с верной контрольной цифрой)") % {"value": barcode},
                        sheet_format.BARCODE,
                    )
                row.barcode = barcode
        column = fixed.get(sheet_format.VARIANT_NAME)
        if column is not None:
            row.variant_name = _optional_text(_cell(values, width, column), 255, LABEL_VARIANT_NAME)
        self._product_parse(row, values, width)
        try:
            for target, plan, label in (
                (row.prices, self.price_plan, LABEL_PRICE),
                (row.old_prices, self.old_price_plan, LABEL_OLD_PRICE),
            ):
                for column, list_id in plan:
                    value = _cell(values, width, column)
                    text = _text(value)
                    if text == CLEAR:
                        target[list_id] = CLEAR
                    elif text:
                        raw = text if value.__class__ is str else value
                        target[list_id] = sheet_format.money_parse(raw, label=label)
            for column, warehouse_id in self.stock_plan:
                value = _cell(values, width, column)
                text = _text(value)
                if text:
                    row.stocks[warehouse_id] = sheet_format.quantity_parse(
                        text if value.__class__ is str else value, label=LABEL_STOCK
                    )
            for column, attribute, of_product in self.attr_plan:
                value = _cell(values, width, column)
                text = _text(value)
                if text:
                    target = row.product_attrs if of_product else row.attrs
                    target[attribute["id"]] = self._attribute_parse(
                        attribute, text if value.__class__ is str else value
                    )
        except CellError as error:
            raise RowRejected(error.code, error.message) from error
        if row.barcode and row.barcode != CLEAR and row.barcode in self.seen_barcodes:
            raise RowRejected(
                error_codes.ROW_BARCODE_TAKEN,
                _("штрихкод «%(value)s» уже был в строке %(first)s")
                % {"value": row.barcode, "first": self.seen_barcodes[row.barcode]},
                sheet_format.BARCODE,
            )
        return row

    def _product_parse(self, row, values, width):
        fixed = self.header.fixed
        product = row.product
        column = fixed.get(sheet_format.SLUG)
        if column is not None:
            slug = _text(_cell(values, width, column)).lower()
            if slug:
                if not SLUG_PATTERN.match(slug):
                    raise RowRejected(
                        error_codes.ROW_INVALID,
                        _("slug «%(value)s»: только латинские буквы, цифры и дефисы") % {"value": slug},
                        sheet_format.SLUG,
                    )
                _text_check(slug, 255, "slug", sheet_format.SLUG)
                row.product_key = ("slug", slug)
                product["slug"] = slug
        column = fixed.get(sheet_format.NAME)
        if column is not None:
            name = _text(_cell(values, width, column))
            if name:
                _text_check(name, 255, LABEL_NAME, sheet_format.NAME)
                product["name"] = name
                if not row.product_key:
                    row.product_key = ("name", sheet_format.text_normalize(name))
        column = fixed.get(sheet_format.DESCRIPTION)
        if column is not None:
            value = _cell(values, width, column)
            text = "" if value is None else (value if value.__class__ is str else str(value))
            stripped = text.strip()
            if stripped == CLEAR:
                product["description"] = ""
            elif stripped:
                product["description"] = text
        column = fixed.get(sheet_format.CATEGORY)
        if column is not None:
            text = _text(_cell(values, width, column))
            if text:
                product["category"] = text
        column = fixed.get(sheet_format.BRAND)
        if column is not None:
            text = _text(_cell(values, width, column))
            if text == CLEAR:
                product["brand"] = CLEAR
            elif text:
                _text_check(text, 150, LABEL_BRAND, sheet_format.BRAND)
                product["brand"] = text

    def _attribute_parse(self, attribute, value):
        label = attribute["name"]
        if cell_text(value) == CLEAR:
            return CLEAR
        kind = attribute["type"]
        if kind == AttributeType.CHOICE:
            choice_id = self.lookup.choice_find(attribute["id"], cell_text(value))
            if choice_id is None:
                raise CellError(
                    error_codes.ROW_CHOICE_UNKNOWN,
                    _("%(label)s «%(value)s»: нет такого значения в списке") % {"label": label, "value": value},
                )
            return (choice_id, "", None, None)
        if kind == AttributeType.NUMBER:
            number = sheet_format.number_parse(value, label=label)
            if abs(number) >= Decimal("1e10") or number != number.quantize(NUMBER_QUANT):
                raise CellError(
                    error_codes.ROW_TOO_PRECISE,
                    _("%(label)s «%(value)s»: не больше 10 цифр до и 4 после запятой")
                    % {"label": label, "value": value},
                )
            return (None, "", number.quantize(NUMBER_QUANT), None)
        if kind == AttributeType.BOOLEAN:
            return (None, "", None, sheet_format.boolean_parse(value, label=label))
        text = cell_text(value)
        if len(text) > 255:
            raise CellError(error_codes.ROW_TOO_LONG, _("%(label)s длиннее 255 символов") % {"label": label})
        return (None, text, None, None)

    def signature_check(self, row):
        """Проверить, что поля товара совпадают с первой строкой этого товара; иначе RowRejected."""
        # Товар повторяется в строке каждого своего варианта: его поля должны совпадать.
        if not row.product_key:
            return
        # Порядок ключей задан заголовком и одинаков во всех строках, поэтому сортировка не нужна.
        signature = (tuple(row.product.items()), tuple(row.product_attrs.items()))
        first = self.product_signatures.get(row.product_key)
        if first is None:
            self.product_signatures[row.product_key] = (row.number, signature)
        elif first[1] != signature:
            raise RowRejected(
                error_codes.ROW_PRODUCT_CONFLICT,
                _("данные товара «%(key)s» отличаются от строки %(first)s")
                % {"key": row.product_key[1], "first": first[0]},
            )

    def row_accept(self, row):
        """Запомнить артикул и штрихкод принятой строки: повтор в следующих строках — отказ."""
        self.seen_skus[row.sku] = row.number
        if row.barcode and row.barcode != CLEAR:
            self.seen_barcodes[row.barcode] = row.number


def _cell(values, width, column):
    """Вернуть значение ячейки столбца (None за концом строки); ошибка формулы — отказ строки."""
    value = values[column.index] if column.index < width else None
    if value is None or value.__class__ is str:
        return value
    if isinstance(value, FormulaError):
        raise RowRejected(
            error_codes.ROW_FORMULA_ERROR,
            _("в столбце %(column)s ошибка формулы %(value)s") % {"column": column.title, "value": value},
            column.title,
        )
    return value


def row_empty(values):
    """Проверить, что в строке нет ни одного значения (пробелы — тоже пусто)."""
    return all(value is None or (value.__class__ is str and not value.strip()) for value in values)


def _text(value):
    """cell_text с быстрым путём для обычной строки (так приходит почти каждая ячейка)."""
    if value.__class__ is str:
        return value.strip()
    return cell_text(value)


def _text_check(text, max_length, label, column):
    if len(text) > max_length:
        raise RowRejected(
            error_codes.ROW_TOO_LONG,
            _("%(label)s длиннее %(max)s символов") % {"label": label, "max": max_length},
            column,
        )


def _optional_text(value, max_length, label):
    text = cell_text(value)
    if text == CLEAR:
        return CLEAR
    if not text:
        return None
    if len(text) > max_length:
        raise RowRejected(
            error_codes.ROW_TOO_LONG, _("%(label)s длиннее %(max)s символов") % {"label": label, "max": max_length}
        )
    return text
