"""Шаг импорта «заголовок»: первая строка листа → столбцы (format.Header) по справочникам.

Чистая функция без базы: справочники приходят готовыми (lookups.CatalogLookup), поэтому
разбор заголовка проверяется тестом без базы данных.
"""

from django.utils.translation import gettext as _

from commerce.exchange import error_codes, sheet_format
from commerce.exchange.readers import ExchangeFileError


def header_parse(titles, lookup):
    """Разобрать строку заголовка; вернуть format.Header.

    Raises:
        ExchangeFileError: пустой или повторный заголовок, неизвестный столбец, прайс-лист,
            склад или атрибут, нет столбца sku.
    """
    while titles and (titles[-1] is None or str(titles[-1]).strip() == ""):
        titles = titles[:-1]
    columns = []
    header = sheet_format.Header(columns=columns)
    seen = {}
    for index, title in enumerate(titles):
        letter = sheet_format.column_letter(index)
        name = sheet_format.header_normalize(title)
        if not name:
            raise ExchangeFileError(
                error_codes.HEADER_EMPTY_CELL,
                _("Пустой заголовок в столбце %(column)s (объединённые ячейки заголовка не поддерживаются).")
                % {"column": letter},
            )
        if name in seen:
            raise ExchangeFileError(
                error_codes.HEADER_DUPLICATE,
                _("Столбец «%(name)s» повторяется: %(first)s и %(second)s.")
                % {"name": name, "first": seen[name], "second": letter},
            )
        seen[name] = letter
        column = _column_parse(index, name, lookup, letter)
        columns.append(column)
        if column.kind in sheet_format.FIXED_COLUMNS:
            header.fixed[column.kind] = column
        else:
            getattr(header, column.kind)[column.key] = column
    if sheet_format.SKU not in header.fixed:
        raise ExchangeFileError(error_codes.HEADER_SKU_MISSING, _("В первой строке нет столбца «sku» (артикул)."))
    return header


def _column_parse(index, name, lookup, letter):
    if name in sheet_format.FIXED_COLUMNS:
        return sheet_format.Column(index=index, title=name, kind=name)
    for prefix, kind, source, code in (
        (sheet_format.PRICE_PREFIX, "prices", lookup.price_lists, error_codes.HEADER_UNKNOWN_PRICE_LIST),
        (sheet_format.OLD_PRICE_PREFIX, "old_prices", lookup.price_lists, error_codes.HEADER_UNKNOWN_PRICE_LIST),
        (sheet_format.STOCK_PREFIX, "stocks", lookup.warehouses, error_codes.HEADER_UNKNOWN_WAREHOUSE),
        (sheet_format.ATTR_PREFIX, "attrs", lookup.attributes, error_codes.HEADER_UNKNOWN_ATTRIBUTE),
        (sheet_format.PRODUCT_ATTR_PREFIX, "product_attrs", lookup.attributes, error_codes.HEADER_UNKNOWN_ATTRIBUTE),
    ):
        if name.startswith(prefix):
            key = name[len(prefix) :]
            if key not in source:
                messages = {
                    error_codes.HEADER_UNKNOWN_PRICE_LIST: _("нет прайс-листа с кодом «%(key)s»"),
                    error_codes.HEADER_UNKNOWN_WAREHOUSE: _("нет склада с кодом «%(key)s»"),
                    error_codes.HEADER_UNKNOWN_ATTRIBUTE: _("нет атрибута с кодом «%(key)s»"),
                }
                raise ExchangeFileError(
                    code,
                    _("Столбец %(column)s «%(name)s»: %(reason)s.")
                    % {"column": letter, "name": name, "reason": messages[code] % {"key": key}},
                )
            return sheet_format.Column(index=index, title=name, kind=kind, key=key)
    raise ExchangeFileError(
        error_codes.HEADER_UNKNOWN_COLUMN,
        _(
            "Неизвестный столбец %(column)s «%(name)s». Допустимы: %(fixed)s, а также attr:<код>, "
            "product_attr:<код>, price:<прайс-лист>, old_price:<прайс-лист>, stock:<склад>."
        )
        % {"column": letter, "name": name, "fixed": ", ".join(sheet_format.FIXED_COLUMNS)},
    )
