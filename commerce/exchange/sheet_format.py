"""Формат файла обмена каталогом: столбцы, разбор и запись значений ячеек.

Одна строка листа — один вариант (SKU). Столбцы:

- ``sku`` — артикул, ключ варианта (обязателен);
- ``barcode``, ``variant_name`` — поля варианта;
- ``slug``, ``name``, ``category`` («Электроника / Ноутбуки»), ``brand``, ``description`` — поля
  товара (ключ товара — slug, а если его нет — название);
- ``attr:<код>`` — атрибут варианта, ``product_attr:<код>`` — атрибут товара;
- ``price:<прайс-лист>``, ``old_price:<прайс-лист>`` — цены, ``stock:<склад>`` — остаток.

Отсутствующий столбец не меняет поле. Пустая ячейка тоже ничего не меняет (так частичный файл
безопасен), а ``-`` очищает необязательное поле: удаляет цену, старую цену, штрихкод, бренд,
значение атрибута. Экспорт пишет ровно этот формат, поэтому экспорт → импорт ничего не меняет.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from commerce.exchange import error_codes

SKU = "sku"
BARCODE = "barcode"
VARIANT_NAME = "variant_name"
SLUG = "slug"
NAME = "name"
CATEGORY = "category"
BRAND = "brand"
DESCRIPTION = "description"

PRODUCT_COLUMNS = (SLUG, NAME, CATEGORY, BRAND, DESCRIPTION)
FIXED_COLUMNS = (SKU, BARCODE, VARIANT_NAME, SLUG, NAME, CATEGORY, BRAND, DESCRIPTION)

ATTR_PREFIX = "attr:"
PRODUCT_ATTR_PREFIX = "product_attr:"
PRICE_PREFIX = "price:"
OLD_PRICE_PREFIX = "old_price:"
STOCK_PREFIX = "stock:"
PREFIXES = (ATTR_PREFIX, PRODUCT_ATTR_PREFIX, PRICE_PREFIX, OLD_PRICE_PREFIX, STOCK_PREFIX)

# Русские заголовки, которые менеджеры пишут сами, — синонимы английских.
ALIASES = {
    "артикул": SKU,
    "штрихкод": BARCODE,
    "название варианта": VARIANT_NAME,
    "название": NAME,
    "категория": CATEGORY,
    "бренд": BRAND,
    "описание": DESCRIPTION,
}

CATEGORY_SEPARATOR = " / "
CATEGORY_SPLIT = re.compile(r"\s+/\s+")
CLEAR = "-"
REASON_COLUMN = "reason"
MAIN_SHEET = "catalog"
CATEGORIES_SHEET = "categories"
ATTRIBUTES_SHEET = "attributes"
# Листы справочников: categories — путь и slug; attributes — код, название, тип, значения списка
# через «; » (value или value=подпись, если подпись отличается).
CATEGORY_SHEET_COLUMNS = ("path", "slug")
ATTRIBUTE_SHEET_COLUMNS = ("code", "name", "type", "choices")
CHOICE_SEPARATOR = "; "

TRUE_WORDS = {"да", "true", "1", "yes", "y", "+", "истина"}
FALSE_WORDS = {"нет", "false", "0", "no", "n", "ложь"}
MONEY_QUANT = Decimal("0.01")
NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


class CellError(ValueError):
    """Значение ячейки не подходит столбцу; message — причина по-русски."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Column:
    """Столбец заголовка: вид (sku, price, stock, attr, ...), ключ (код прайс-листа, склада, атрибута)."""

    index: int
    title: str
    kind: str
    key: str = ""


@dataclass
class Header:
    """Разобранный заголовок листа: фиксированные столбцы по имени и столбцы с префиксами."""

    columns: list
    fixed: dict = field(default_factory=dict)
    prices: dict = field(default_factory=dict)
    old_prices: dict = field(default_factory=dict)
    stocks: dict = field(default_factory=dict)
    attrs: dict = field(default_factory=dict)
    product_attrs: dict = field(default_factory=dict)

    @property
    def titles(self):
        return [column.title for column in self.columns]

    def has(self, name):
        return name in self.fixed

    @property
    def has_product_columns(self):
        return any(name in self.fixed for name in PRODUCT_COLUMNS)


def column_letter(index):
    """Вернуть буквенное имя столбца по номеру от нуля: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def header_normalize(title):
    """Привести заголовок к каноническому виду: без пробелов по краям, в нижнем регистре, синонимы."""
    text = "" if title is None else str(title).strip()
    lowered = text.lower()
    for prefix in PREFIXES:
        if lowered.startswith(prefix):
            return prefix + text[len(prefix) :].strip()
    return ALIASES.get(lowered, lowered)


def text_normalize(value):
    """Ключ сравнения названий: регистр, «ё» и лишние пробелы не важны."""
    return " ".join(str(value).replace("ё", "е").replace("Ё", "Е").split()).casefold()


def cell_text(value):
    """Вернуть значение ячейки строкой без пробелов по краям (None и пустая строка → "")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        # Артикул или штрихкод, сохранённый Excel числом: 4600000000017.0 → "4600000000017".
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def number_parse(value, *, label):
    """Разобрать число: десятичная запятая, пробелы между разрядами; вернуть Decimal.

    Raises:
        CellError: в ячейке не число («12,5О» с русской О).
    """
    if isinstance(value, bool):
        raise CellError(
            error_codes.ROW_NOT_NUMBER, _("%(label)s «%(value)s» не число") % {"label": label, "value": value}
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = NUMBER_SPACES.sub("", str(value)).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise CellError(
            error_codes.ROW_NOT_NUMBER, _("%(label)s «%(value)s» не число") % {"label": label, "value": value}
        )
    return number


def money_parse(value, *, label):
    """Разобрать денежную сумму: неотрицательная, не больше двух знаков после запятой."""
    number = number_parse(value, label=label)
    if number < 0:
        raise CellError(
            error_codes.ROW_NEGATIVE, _("%(label)s «%(value)s» отрицательна") % {"label": label, "value": value}
        )
    if number >= Decimal("1e10"):
        raise CellError(
            error_codes.ROW_INVALID, _("%(label)s «%(value)s» слишком велика") % {"label": label, "value": value}
        )
    rounded = number.quantize(MONEY_QUANT)
    if rounded != number:
        # Деньги не округляем молча: 12,345 — скорее опечатка, чем цена.
        raise CellError(
            error_codes.ROW_TOO_PRECISE,
            _("%(label)s «%(value)s»: больше двух знаков после запятой") % {"label": label, "value": value},
        )
    return rounded


def quantity_parse(value, *, label):
    """Разобрать остаток: целое неотрицательное число."""
    number = number_parse(value, label=label)
    if number != number.to_integral_value():
        raise CellError(
            error_codes.ROW_NOT_INTEGER, _("%(label)s «%(value)s» не целое число") % {"label": label, "value": value}
        )
    if number < 0:
        raise CellError(
            error_codes.ROW_NEGATIVE, _("%(label)s «%(value)s» отрицательный") % {"label": label, "value": value}
        )
    if number > 2_000_000_000:
        raise CellError(
            error_codes.ROW_INVALID, _("%(label)s «%(value)s» слишком велик") % {"label": label, "value": value}
        )
    return int(number)


def boolean_parse(value, *, label):
    """Разобрать да/нет (да, нет, true, false, 1, 0)."""
    if isinstance(value, bool):
        return value
    word = cell_text(value).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(
        error_codes.ROW_BOOLEAN_INVALID,
        _("%(label)s «%(value)s»: ожидается «да» или «нет»") % {"label": label, "value": value},
    )


def category_path_split(text):
    """Разбить путь категории «Электроника / Ноутбуки» на названия."""
    return [part.strip() for part in CATEGORY_SPLIT.split(text.strip()) if part.strip()]
