"""Быстрый импорт каталога из строк листа: разбор строки, сверка с базой пачкой, запись пачкой.

Почему своё, а не построчный путь django-import-export: он делает несколько запросов и
full_clean() на каждую строку (около 470 строк/с). Здесь строки идут пачками по
EXCHANGE_CHUNK_ROWS: пачка сверяется с базой несколькими запросами (варианты, товары, цены,
остатки, атрибуты — по одному), а пишется многострочными INSERT ... ON CONFLICT и
UPDATE ... FROM (VALUES ...). Ошибки остаются построчными: каждая строка проверяется теми же
правилами, что и модели каталога (валидаторы полей, EAN-13, старая цена больше цены, остаток
не меньше резерва), до записи; строка с ошибкой не попадает в пачку. Если база всё же отвергла
пачку (гонка, неучтённое ограничение), пачка откатывается до точки сохранения и проходит
по одной строке — так ошибка находит свою строку.

Денормализованные таблицы каталога (индексы категорий и значений, предложения в регионах)
пересчитываются функциями каталога для товаров каждой пачки; кэш витрины сбрасывается один раз.
"""

import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commerce.catalog.cache import catalog_cache_invalidate
from commerce.catalog.indexing import product_index_refresh, sql_in
from commerce.catalog.models import (
    SLUG_VALIDATOR,
    AttributeType,
    Product,
    Variant,
    ean13_is_valid,
)
from commerce.catalog.offers import product_offer_refresh
from commerce.exchange import error_codes, staging
from commerce.exchange import format as spec
from commerce.exchange import permissions as exchange_permissions
from commerce.exchange.format import CLEAR, CellError, cell_text
from commerce.exchange.lookups import slug_from_text, slug_unique
from commerce.exchange.readers import ExchangeFileError, FormulaError

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
REJECTED = "rejected"
MAX_PARAMS = 60000
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


def header_parse(titles, lookup):
    """Разобрать строку заголовка; вернуть format.Header.

    Raises:
        ExchangeFileError: пустой или повторный заголовок, неизвестный столбец, прайс-лист,
            склад или атрибут, нет столбца sku.
    """
    while titles and (titles[-1] is None or str(titles[-1]).strip() == ""):
        titles = titles[:-1]
    columns = []
    header = spec.Header(columns=columns)
    seen = {}
    for index, title in enumerate(titles):
        letter = spec.column_letter(index)
        name = spec.header_normalize(title)
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
        if column.kind in spec.FIXED_COLUMNS:
            header.fixed[column.kind] = column
        else:
            getattr(header, column.kind)[column.key] = column
    if spec.SKU not in header.fixed:
        raise ExchangeFileError(error_codes.HEADER_SKU_MISSING, _("В первой строке нет столбца «sku» (артикул)."))
    return header


def _column_parse(index, name, lookup, letter):
    if name in spec.FIXED_COLUMNS:
        return spec.Column(index=index, title=name, kind=name)
    for prefix, kind, source, code in (
        (spec.PRICE_PREFIX, "prices", lookup.price_lists, error_codes.HEADER_UNKNOWN_PRICE_LIST),
        (spec.OLD_PRICE_PREFIX, "old_prices", lookup.price_lists, error_codes.HEADER_UNKNOWN_PRICE_LIST),
        (spec.STOCK_PREFIX, "stocks", lookup.warehouses, error_codes.HEADER_UNKNOWN_WAREHOUSE),
        (spec.ATTR_PREFIX, "attrs", lookup.attributes, error_codes.HEADER_UNKNOWN_ATTRIBUTE),
        (spec.PRODUCT_ATTR_PREFIX, "product_attrs", lookup.attributes, error_codes.HEADER_UNKNOWN_ATTRIBUTE),
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
            return spec.Column(index=index, title=name, kind=kind, key=key)
    raise ExchangeFileError(
        error_codes.HEADER_UNKNOWN_COLUMN,
        _(
            "Неизвестный столбец %(column)s «%(name)s». Допустимы: %(fixed)s, а также attr:<код>, "
            "product_attr:<код>, price:<прайс-лист>, old_price:<прайс-лист>, stock:<склад>."
        )
        % {"column": letter, "name": name, "fixed": ", ".join(spec.FIXED_COLUMNS)},
    )


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


@dataclass
class RowOutcome:
    number: int
    sku: str
    action: str
    code: str = ""
    message: str = ""
    column: str = ""


@dataclass
class ImportReport:
    """Итог импорта: счётчики, ошибки строк, предпросмотр, скорость."""

    rows_total: int = 0
    counts: dict = field(default_factory=lambda: {CREATED: 0, UPDATED: 0, UNCHANGED: 0, REJECTED: 0})
    errors: list = field(default_factory=list)
    preview: list = field(default_factory=list)
    seconds: float = 0.0
    refresh_seconds: float = 0.0
    applied: bool = False
    # Коды прав моделей на записи прогона (CatalogImporter.write_permissions), отсортированы.
    required_permissions: list = field(default_factory=list)

    @property
    def rows_per_second(self):
        return self.rows_total / self.seconds if self.seconds else 0.0


class Pending:
    """Новый объект пачки: поля до записи и id, который появится после INSERT."""

    __slots__ = ("fields", "pk")

    def __init__(self, fields):
        self.fields = fields
        self.pk = None


def ref_id(ref):
    """Вернуть id по ссылке: число или Pending после записи."""
    return ref if isinstance(ref, int) else ref.pk


class ChunkState:
    """Изменения пачки: собираются при сверке, пишутся вместе; в общий итог — после успеха."""

    def __init__(self):
        self.new_products = {}  # ключ товара → Product (id появится после bulk_create)
        self.product_updates = {}  # id → {поле: значение}
        self.new_variants = []  # (Variant, ссылка на товар: id или Product)
        self.variant_updates = {}  # id → {поле: значение}
        self.price_upserts = {}  # (variant_ref, price_list_id) → (price, old_price)
        self.price_deletes = set()
        self.stock_upserts = {}
        self.attr_upserts = {}  # (variant_ref, attribute_id) → значение
        self.attr_deletes = set()
        self.product_attr_upserts = {}
        self.product_attr_deletes = set()
        self.touched_products = set()
        # Товары (id или Pending), у которых изменилось то, из чего строятся индексы фильтров
        # (категория, атрибуты) и предложения (цены, остатки, название, бренд).
        self.index_refs = set()
        self.offer_refs = set()
        # ...и у которых изменились поля товара или варианта: их документы поиска (вместе с index_refs).
        self.search_refs = set()
        self.outcomes = []
        self.applied_products = set()
        self.new_barcodes = {}
        self.reserved_slugs = set()


class CatalogImporter:
    """Импортёр листа каталога: строки → проверка → пачки записей в одной транзакции.

    Args:
        lookup: справочники (lookups.CatalogLookup).
        header: разобранный заголовок (header_parse).
        create_missing: создавать недостающие категории и бренды.
        chunk_rows: строк в пачке.
        on_progress: функция (rows, rows_per_second), вызывается после каждой пачки.
        on_rejected: функция (ParsedRow или номер и значения, причина) для файла отклонённых строк.
    """

    def __init__(self, *, lookup, header, create_missing=False, chunk_rows=2000, on_progress=None, on_rejected=None):
        self.lookup = lookup
        self.header = header
        self.create_missing = create_missing
        self.chunk_rows = chunk_rows
        self.on_progress = on_progress
        self.on_rejected = on_rejected
        self.report = ImportReport()
        self.seen_skus = {}
        self.seen_barcodes = {}
        self.product_signatures = {}
        self.applied_products = set()
        self.refresh_products = set()
        self.index_products = set()
        self.offer_products = set()
        self.search_products = set()
        self.statistics_base = None
        self.inserted_total = 0
        self.inserted_at_analyze = 0
        self.preview_limit = 1000
        self.errors_limit = 10000
        self.changed = False
        # Права моделей, которые понадобились записям строк (см. write_permissions).
        self.permissions = set()
        self._plan()

    # --- разбор строки -------------------------------------------------------------------

    def _plan(self):
        """Заранее сопоставить столбцы цен, остатков и атрибутов с id справочников (один раз на файл)."""
        header, lookup = self.header, self.lookup
        self.price_plan = [(column, lookup.price_lists[key]["id"]) for key, column in header.prices.items()]
        self.old_price_plan = [(column, lookup.price_lists[key]["id"]) for key, column in header.old_prices.items()]
        self.stock_plan = [(column, lookup.warehouses[key]["id"]) for key, column in header.stocks.items()]
        self.attr_plan = [(column, lookup.attributes[key], False) for key, column in header.attrs.items()]
        self.attr_plan += [(column, lookup.attributes[key], True) for key, column in header.product_attrs.items()]
        self.category_ids = {}
        self.brand_ids = {}

    def row_parse(self, number, values):
        """Разобрать строку в ParsedRow; RowRejected — первая найденная причина.

        Горячий путь импорта (вызывается на каждой строке файла): столбцы сопоставлены заранее
        (_plan), пустая ячейка отсеивается до всякого разбора, подписи сообщений ленивые.
        """
        row = ParsedRow(number=number, values=values)
        width = len(values)
        fixed = self.header.fixed
        row.sku = sku = _text(_cell(values, width, fixed[spec.SKU]))
        if not sku:
            raise RowRejected(error_codes.ROW_SKU_MISSING, _("не указан артикул (sku)"), spec.SKU)
        _text_check(sku, 64, LABEL_SKU, spec.SKU)
        if sku in self.seen_skus:
            raise RowRejected(
                error_codes.ROW_SKU_DUPLICATE,
                _("артикул «%(sku)s» уже был в строке %(first)s") % {"sku": sku, "first": self.seen_skus[sku]},
                spec.SKU,
            )
        column = fixed.get(spec.BARCODE)
        if column is not None:
            barcode = _text(_cell(values, width, column))
            if barcode == CLEAR:
                row.barcode = CLEAR
            elif barcode:
                if not ean13_is_valid(barcode):
                    raise RowRejected(
                        error_codes.ROW_BARCODE_INVALID,
                        _("штрихкод «%(value)s» не EAN-13 (13 цифр с верной контрольной цифрой)") % {"value": barcode},
                        spec.BARCODE,
                    )
                row.barcode = barcode
        column = fixed.get(spec.VARIANT_NAME)
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
                        target[list_id] = spec.money_parse(text if value.__class__ is str else value, label=label)
            for column, warehouse_id in self.stock_plan:
                value = _cell(values, width, column)
                text = _text(value)
                if text:
                    row.stocks[warehouse_id] = spec.quantity_parse(
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
                spec.BARCODE,
            )
        return row

    def _product_parse(self, row, values, width):
        fixed = self.header.fixed
        product = row.product
        column = fixed.get(spec.SLUG)
        if column is not None:
            slug = _text(_cell(values, width, column)).lower()
            if slug:
                if not SLUG_PATTERN.match(slug):
                    raise RowRejected(
                        error_codes.ROW_INVALID,
                        _("slug «%(value)s»: только латинские буквы, цифры и дефисы") % {"value": slug},
                        spec.SLUG,
                    )
                _text_check(slug, 255, "slug", spec.SLUG)
                row.product_key = ("slug", slug)
                product["slug"] = slug
        column = fixed.get(spec.NAME)
        if column is not None:
            name = _text(_cell(values, width, column))
            if name:
                _text_check(name, 255, LABEL_NAME, spec.NAME)
                product["name"] = name
                if not row.product_key:
                    row.product_key = ("name", spec.text_normalize(name))
        column = fixed.get(spec.DESCRIPTION)
        if column is not None:
            value = _cell(values, width, column)
            text = "" if value is None else (value if value.__class__ is str else str(value))
            stripped = text.strip()
            if stripped == CLEAR:
                product["description"] = ""
            elif stripped:
                product["description"] = text
        column = fixed.get(spec.CATEGORY)
        if column is not None:
            text = _text(_cell(values, width, column))
            if text:
                product["category"] = text
        column = fixed.get(spec.BRAND)
        if column is not None:
            text = _text(_cell(values, width, column))
            if text == CLEAR:
                product["brand"] = CLEAR
            elif text:
                _text_check(text, 150, LABEL_BRAND, spec.BRAND)
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
            number = spec.number_parse(value, label=label)
            if abs(number) >= Decimal("1e10") or number != number.quantize(NUMBER_QUANT):
                raise CellError(
                    error_codes.ROW_TOO_PRECISE,
                    _("%(label)s «%(value)s»: не больше 10 цифр до и 4 после запятой")
                    % {"label": label, "value": value},
                )
            return (None, "", number.quantize(NUMBER_QUANT), None)
        if kind == AttributeType.BOOLEAN:
            return (None, "", None, spec.boolean_parse(value, label=label))
        text = cell_text(value)
        if len(text) > 255:
            raise CellError(error_codes.ROW_TOO_LONG, _("%(label)s длиннее 255 символов") % {"label": label})
        return (None, text, None, None)

    def _references_resolve(self, row):
        """Найти (или создать, если разрешено) категорию и бренд строки; только для верных строк.

        Найденные id запоминаются по тексту ячейки: у 250 тыс. строк — сотни разных категорий.
        """
        product = row.product
        if "category" in product:
            text = product["category"]
            category_id = self.category_ids.get(text)
            if category_id is None:
                category_id = self.lookup.category_find(text)
                if category_id is None:
                    if not self.create_missing:
                        raise RowRejected(
                            error_codes.ROW_CATEGORY_UNKNOWN,
                            _("категории «%(value)s» нет (включите создание недостающих категорий)") % {"value": text},
                            spec.CATEGORY,
                        )
                    category_id = self.lookup.category_create(text)
                self.category_ids[text] = category_id
            product["main_category_id"] = category_id
        if "brand" in product:
            text = product["brand"]
            if text == CLEAR:
                product["brand_id"] = None
            else:
                brand_id = self.brand_ids.get(text)
                if brand_id is None:
                    brand_id = self.lookup.brand_find(text)
                    if brand_id is None:
                        if not self.create_missing:
                            raise RowRejected(
                                error_codes.ROW_BRAND_UNKNOWN,
                                _("бренда «%(value)s» нет (включите создание недостающих брендов)") % {"value": text},
                                spec.BRAND,
                            )
                        brand_id = self.lookup.brand_create(text)
                    self.brand_ids[text] = brand_id
                product["brand_id"] = brand_id

    # --- прогон --------------------------------------------------------------------------

    def run(self, rows, *, progress=None):
        """Импортировать строки (итератор пар номер, значения) в текущей транзакции; вернуть отчёт.

        На PostgreSQL внешние ключи на время прогона проверяются сразу после каждой команды
        (SET CONSTRAINTS ALL IMMEDIATE), а не при COMMIT: нарушение (например, категорию
        удалили, пока шёл импорт) откатывает пачку до её точки сохранения, и построчный повтор
        называет строку — иначе весь импорт упал бы при фиксации без указания строки. Стоимость
        та же (проверка на строку в любом случае), но страницы, на которые ссылаются строки
        пачки, в этот момент ещё в кэше. После прогона — снова DEFERRED, как у Django.
        """
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        report = self._run(rows, progress=progress)
        # При исключении транзакция и так откатывается; здесь — только после успешного прогона.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return report

    def _run(self, rows, *, progress):
        started = time.monotonic()
        chunk = []
        for number, values in rows:
            if _row_empty(values):
                continue  # пустые строки (в том числе хвостовые) пропускаем
            self.report.rows_total += 1
            try:
                row = self.row_parse(number, values)
                self._signature_check(row)
                self._references_resolve(row)
            except RowRejected as error:
                sku_index = self.header.fixed[spec.SKU].index
                self._reject(number, values, cell_text(values[sku_index]) if sku_index < len(values) else "", error)
                continue
            self.seen_skus[row.sku] = number
            if row.barcode and row.barcode != CLEAR:
                self.seen_barcodes[row.barcode] = number
            chunk.append(row)
            if len(chunk) >= self.chunk_rows:
                self._chunk_run(chunk)
                chunk = []
                self._progress(started, progress)
        if chunk:
            self._chunk_run(chunk)
        self.report.seconds = time.monotonic() - started
        self._progress(started, progress)
        return self.report

    def _progress(self, started, progress):
        if self.on_progress:
            elapsed = max(time.monotonic() - started, 1e-6)
            self.on_progress(self.report.rows_total, self.report.rows_total / elapsed, progress() if progress else None)

    def _signature_check(self, row):
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

    def reference_reject(self, *, sheet, number, code, message):
        """Учесть отклонённую строку листа справочника (categories, attributes) в отчёте."""
        self.report.rows_total += 1
        text = _("лист %(sheet)s, строка %(number)s: %(reason)s") % {
            "sheet": sheet,
            "number": number,
            "reason": message,
        }
        self._record(RowOutcome(number=number, sku="", action=REJECTED, code=code, message=text, column=sheet))

    def _reject(self, number, values, sku, error):
        message = _("строка %(number)s: %(reason)s") % {"number": number, "reason": error.message}
        self._record(
            RowOutcome(number=number, sku=sku, action=REJECTED, code=error.code, message=message, column=error.column)
        )
        if self.on_rejected:
            self.on_rejected(values, message)

    def _record(self, outcome):
        report = self.report
        report.counts[outcome.action] += 1
        if outcome.action == REJECTED and len(report.errors) < self.errors_limit:
            report.errors.append(
                {
                    "row": outcome.number,
                    "sku": outcome.sku,
                    "code": outcome.code,
                    "column": outcome.column,
                    "message": outcome.message,
                }
            )
        if len(report.preview) < self.preview_limit:
            report.preview.append([outcome.number, outcome.action, outcome.sku, outcome.message])

    def _chunk_run(self, rows):
        try:
            with transaction.atomic():
                state = self._chunk_apply(rows)
        except DatabaseError:
            if len(rows) == 1:
                raise
            # База отвергла пачку: по одной строке, чтобы ошибка нашла свою строку.
            for row in rows:
                try:
                    with transaction.atomic():
                        state = self._chunk_apply([row])
                except DatabaseError as error:
                    self._reject(
                        row.number,
                        row.values,
                        row.sku,
                        RowRejected(
                            error_codes.ROW_DATABASE, _("база данных отвергла строку: %(error)s") % {"error": error}
                        ),
                    )
                    continue
                self._chunk_commit(state)
            return
        self._chunk_commit(state)
        self._statistics_refresh(len(state.new_variants))

    def _statistics_refresh(self, inserted):
        """Обновить статистику планировщика, когда таблицы каталога выросли вдвое за импорт.

        Импорт в пустой (или маленький) каталог идёт одной транзакцией, и автоочистка не видит
        её строк: по старой статистике таблицы «пусты», и сверка пачки с базой (= ANY(массив))
        уходит в последовательный просмотр — каждая пачка читает всё записанное до неё, то есть
        импорт становится квадратичным. ANALYZE внутри транзакции видит её строки; удвоение
        означает около десятка ANALYZE на 250 тыс. строк.
        """
        if connection.vendor != "postgresql" or not inserted:
            return
        if self.statistics_base is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = 'catalog_variant'::regclass"
                )
                self.statistics_base = cursor.fetchone()[0]
        self.inserted_total += inserted
        grown = self.statistics_base + self.inserted_total
        if grown < max(2 * (self.statistics_base + self.inserted_at_analyze), STATISTICS_MIN_ROWS):
            return
        self.inserted_at_analyze = self.inserted_total
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(IMPORT_TABLES)}")

    def _chunk_commit(self, state):
        self.applied_products |= state.applied_products
        for outcome in state.outcomes:
            if outcome.action == REJECTED:
                row = outcome.row
                self._reject(row.number, row.values, row.sku, outcome.error)
            else:
                self._record(outcome)
                if outcome.action != UNCHANGED:
                    self.changed = True

    # --- сверка пачки с базой и запись -----------------------------------------------------

    def _chunk_apply(self, rows):
        state = ChunkState()
        existing = self._existing_load(rows)
        for row in rows:
            try:
                action = self._row_diff(row, existing, state)
            except RowRejected as error:
                rejected = RowOutcome(number=row.number, sku=row.sku, action=REJECTED)
                rejected.row = row
                rejected.error = error
                state.outcomes.append(rejected)
                continue
            state.outcomes.append(RowOutcome(number=row.number, sku=row.sku, action=action))
        self._chunk_write(state)
        return state

    def _existing_load(self, rows):
        """Прочитать из базы всё, что нужно сверке пачки: несколько запросов с массивами id."""
        skus = [row.sku for row in rows]
        slugs = list({row.product_key[1] for row in rows if row.product_key and row.product_key[0] == "slug"})
        names = {row.product["name"] for row in rows if row.product_key and row.product_key[0] == "name"}
        barcodes = [row.barcode for row in rows if row.barcode and row.barcode != CLEAR]
        product_columns = "id, slug, name, description, brand_id, main_category_id"
        product_keys = ("id", "slug", "name", "description", "brand_id", "main_category_id")
        with connection.cursor() as cursor:
            variants = {
                row[1]: dict(zip(("id", "sku", "barcode", "name", "product_id"), row, strict=True))
                for row in _fetch(
                    cursor, "SELECT id, sku, barcode, name, product_id FROM catalog_variant WHERE {}", ("sku", skus)
                )
            }
            product_ids = list({variant["product_id"] for variant in variants.values()})
            products = {
                row[0]: dict(zip(product_keys, row, strict=True))
                for row in _fetch(
                    cursor,
                    f"SELECT {product_columns} FROM catalog_product WHERE {{}} OR {{}}",  # noqa: S608
                    ("id", product_ids),
                    ("slug", slugs),
                )
            }
            by_slug = {row["slug"]: row for row in products.values()}
            barcode_owners = (
                dict(_fetch(cursor, "SELECT barcode, sku FROM catalog_variant WHERE {}", ("barcode", barcodes)))
                if barcodes
                else {}
            )
            variant_ids = [variant["id"] for variant in variants.values()]
            header = self.header
            prices = {}
            if variant_ids and (header.prices or header.old_prices):
                list_ids = list({self.lookup.price_lists[key]["id"] for key in [*header.prices, *header.old_prices]})
                for variant_id, list_id, price, old_price in _fetch(
                    cursor,
                    "SELECT variant_id, price_list_id, price, old_price FROM pricing_variantprice WHERE {} AND {}",
                    ("variant_id", variant_ids),
                    ("price_list_id", list_ids),
                ):
                    prices[variant_id, list_id] = (_decimal(price), _decimal(old_price))
            stocks = {}
            if variant_ids and header.stocks:
                warehouse_ids = [self.lookup.warehouses[key]["id"] for key in header.stocks]
                for variant_id, warehouse_id, quantity, reserved in _fetch(
                    cursor,
                    "SELECT variant_id, warehouse_id, quantity, reserved FROM inventory_stock WHERE {} AND {}",
                    ("variant_id", variant_ids),
                    ("warehouse_id", warehouse_ids),
                ):
                    stocks[variant_id, warehouse_id] = (quantity, reserved)
            attrs = {}
            if variant_ids and header.attrs:
                attribute_ids = [self.lookup.attributes[key]["id"] for key in header.attrs]
                for item in _fetch(
                    cursor,
                    "SELECT variant_id, attribute_id, choice_id, value_text, value_number, value_boolean "
                    "FROM catalog_variantattributevalue WHERE {} AND {}",
                    ("variant_id", variant_ids),
                    ("attribute_id", attribute_ids),
                ):
                    attrs[item[0], item[1]] = _attribute_value(item[2:])
        by_name = {}
        if names:
            for row in Product.objects.filter(name__in=names).values(*product_keys):
                products[row["id"]] = row
                by_name.setdefault(spec.text_normalize(row["name"]), []).append(row)
        product_attrs = {}
        if header.product_attrs and products:
            attribute_ids = [self.lookup.attributes[key]["id"] for key in header.product_attrs]
            with connection.cursor() as cursor:
                for item in _fetch(
                    cursor,
                    "SELECT product_id, attribute_id, choice_id, value_text, value_number, value_boolean "
                    "FROM catalog_productattributevalue WHERE {} AND {}",
                    ("product_id", list(products)),
                    ("attribute_id", attribute_ids),
                ):
                    product_attrs[item[0], item[1]] = _attribute_value(item[2:])
        return {
            "variants": variants,
            "products": products,
            "by_slug": by_slug,
            "by_name": by_name,
            "barcodes": barcode_owners,
            "prices": prices,
            "stocks": stocks,
            "attrs": attrs,
            "product_attrs": product_attrs,
        }

    def _product_resolve(self, row, existing, state):
        """Вернуть (существующий товар как словарь или None, ключ нового товара)."""
        variant = existing["variants"].get(row.sku)
        found = None
        if row.product_key:
            kind, value = row.product_key
            if kind == "slug":
                found = existing["by_slug"].get(value)
            else:
                candidates = existing["by_name"].get(value, [])
                if len(candidates) > 1:
                    raise RowRejected(
                        error_codes.ROW_PRODUCT_AMBIGUOUS,
                        _("товаров с названием «%(name)s» несколько — укажите slug") % {"name": row.product["name"]},
                        spec.NAME,
                    )
                found = candidates[0] if candidates else None
        if variant is not None:
            own = existing["products"][variant["product_id"]]
            if row.product_key and (found is None or found["id"] != own["id"]):
                raise RowRejected(
                    error_codes.ROW_PRODUCT_MISMATCH,
                    _("артикул «%(sku)s» принадлежит товару «%(slug)s»; перенос варианта файлом не поддерживается")
                    % {"sku": row.sku, "slug": own["slug"]},
                    spec.SLUG,
                )
            return own, None
        if found is not None:
            return found, None
        if not row.product_key:
            raise RowRejected(
                error_codes.ROW_PRODUCT_REQUIRED,
                _("артикула «%(sku)s» нет в каталоге; чтобы создать вариант, заполните name и category")
                % {"sku": row.sku},
                spec.SKU,
            )
        if row.product_key not in state.new_products and (
            "name" not in row.product or "main_category_id" not in row.product
        ):
            raise RowRejected(
                error_codes.ROW_PRODUCT_REQUIRED,
                _("товара «%(key)s» нет в каталоге; чтобы создать его, заполните name и category")
                % {"key": row.product_key[1]},
                spec.NAME,
            )
        return None, row.product_key

    def _row_diff(self, row, existing, state):
        """Сравнить строку с базой, проверить правила и добавить записи в пачку; вернуть действие."""
        product, new_key = self._product_resolve(row, existing, state)
        changed = False
        # Товар: поля из первой строки, где он встретился.
        if product is None:
            product_ref = state.new_products.get(new_key)
            if product_ref is None:
                fields = row.product
                slug = fields.get("slug") or slug_unique(
                    slug_from_text(fields["name"], max_length=255),
                    lambda slug: (
                        slug in existing["by_slug"]
                        or slug in state.reserved_slugs
                        or Product.objects.filter(slug=slug).exists()
                    ),
                    max_length=255,
                )
                product_ref = Pending(
                    {
                        "name": fields["name"],
                        "slug": slug,
                        "main_category_id": fields["main_category_id"],
                        "brand_id": fields.get("brand_id"),
                        "description": fields.get("description", ""),
                    }
                )
                state.reserved_slugs.add(slug)
                state.new_products[new_key] = product_ref
        else:
            product_ref = product["id"]
            if product["id"] not in self.applied_products and product["id"] not in state.applied_products:
                updates = {}
                for name, column in (
                    ("name", "name"),
                    ("description", "description"),
                    ("main_category_id", "main_category_id"),
                    ("brand_id", "brand_id"),
                ):
                    if name in row.product and row.product[name] != product[column]:
                        updates[column] = row.product[name]
                if updates:
                    state.product_updates[product["id"]] = {**product, **updates}
                    state.touched_products.add(product["id"])
                    state.search_refs.add(product["id"])
                    changed = True
                    if "main_category_id" in updates:
                        state.index_refs.add(product["id"])
                    if "name" in updates or "brand_id" in updates:
                        state.offer_refs.add(product["id"])
                state.applied_products.add(product["id"])
        # Вариант.
        variant = existing["variants"].get(row.sku)
        barcode = None if row.barcode == CLEAR else row.barcode
        if row.barcode and barcode:
            owner = existing["barcodes"].get(barcode)
            if (owner is not None and owner != row.sku) or state.new_barcodes.get(barcode, row.sku) != row.sku:
                raise RowRejected(
                    error_codes.ROW_BARCODE_TAKEN,
                    _("штрихкод «%(value)s» уже у артикула «%(owner)s»") % {"value": barcode, "owner": owner or ""},
                    spec.BARCODE,
                )
        name = None if row.variant_name is None else ("" if row.variant_name == CLEAR else row.variant_name)
        if variant is None:
            variant_ref = Pending({"sku": row.sku, "barcode": barcode, "name": name or ""})
            state.new_variants.append((variant_ref, product_ref))
            state.index_refs.add(product_ref)
            state.offer_refs.add(product_ref)
            if barcode:
                state.new_barcodes[barcode] = row.sku
            current_prices = current_stocks = current_attrs = {}
        else:
            variant_ref = variant["id"]
            updates = {}
            if row.barcode is not None and barcode != variant["barcode"]:
                updates["barcode"] = barcode
            if name is not None and name != variant["name"]:
                updates["name"] = name
            if updates:
                state.variant_updates[variant["id"]] = {**variant, **updates}
                state.search_refs.add(product_ref)
                changed = True
            current_prices, current_stocks, current_attrs = existing["prices"], existing["stocks"], existing["attrs"]
        key_id = variant_ref if isinstance(variant_ref, int) else None
        # Цены: цена и старая цена сверяются вместе (старая больше текущей).
        price_changes = {}
        for list_id in {*row.prices, *row.old_prices}:
            current = current_prices.get((key_id, list_id))
            new_price = row.prices.get(list_id)
            if new_price == CLEAR:
                if current is not None:
                    state.price_deletes.add((variant_ref, list_id))
                    price_changes[list_id] = None
                continue
            price = new_price if new_price is not None else (current[0] if current else None)
            old = row.old_prices.get(list_id, current[1] if current else None)
            old = None if old == CLEAR else old
            if price is None:
                if old is not None:
                    raise RowRejected(
                        error_codes.ROW_OLD_PRICE_NOT_GREATER,
                        _("старая цена без цены в прайс-листе «%(code)s»") % {"code": self._list_code(list_id)},
                    )
                continue
            if old is not None and old <= price:
                raise RowRejected(
                    error_codes.ROW_OLD_PRICE_NOT_GREATER,
                    _("старая цена %(old)s должна быть больше цены %(price)s") % {"old": old, "price": price},
                )
            if current is None or current[0] != price or current[1] != old:
                price_changes[list_id] = (price, old)
        for list_id, value in price_changes.items():
            if value is not None:
                state.price_upserts[variant_ref, list_id] = value
        if price_changes:
            state.offer_refs.add(product_ref)
        for warehouse_id, quantity in row.stocks.items():
            current = current_stocks.get((key_id, warehouse_id))
            if current is not None and quantity < current[1]:
                raise RowRejected(
                    error_codes.ROW_STOCK_BELOW_RESERVED,
                    _("остаток %(quantity)s меньше резерва %(reserved)s")
                    % {"quantity": quantity, "reserved": current[1]},
                )
            # Нет строки остатка — то же, что ноль: экспорт пишет пустую ячейку, импорт её не трогает.
            if (current[0] if current else 0) != quantity:
                state.stock_upserts[variant_ref, warehouse_id] = quantity
                state.offer_refs.add(product_ref)
                changed = True
        changed = changed or bool(price_changes)
        for attribute_id, value in row.attrs.items():
            current = current_attrs.get((key_id, attribute_id))
            if value == CLEAR:
                if current is not None:
                    state.attr_deletes.add((variant_ref, attribute_id))
                    state.index_refs.add(product_ref)
                    changed = True
            elif current is None or tuple(current) != value:
                state.attr_upserts[variant_ref, attribute_id] = value
                state.index_refs.add(product_ref)
                changed = True
        if row.product_attrs:
            # Атрибуты товара одинаковы во всех его строках (проверено подписью товара).
            product_key = product_ref if isinstance(product_ref, int) else None
            for attribute_id, value in row.product_attrs.items():
                current = existing["product_attrs"].get((product_key, attribute_id))
                if value == CLEAR:
                    if current is not None:
                        state.product_attr_deletes.add((product_ref, attribute_id))
                        state.index_refs.add(product_ref)
                        changed = True
                elif current is None or tuple(current) != value:
                    state.product_attr_upserts[product_ref, attribute_id] = value
                    state.index_refs.add(product_ref)
                    changed = True
        if isinstance(product_ref, int) and changed:
            state.touched_products.add(product_ref)
        if variant is None:
            return CREATED
        return UPDATED if changed else UNCHANGED

    def _list_code(self, list_id):
        return next((code for code, row in self.lookup.price_lists.items() if row["id"] == list_id), "")

    @property
    def write_permissions(self):
        """Права моделей на всё, что импорт записал (строки и справочники): set кодов прав."""
        return self.permissions | self.lookup.permissions

    def _permissions_note(self, state):
        """Запомнить, записи каких моделей делает пачка: по ним проверяются права подтвердившего."""
        for needed, code in (
            (state.new_products, exchange_permissions.ADD_PRODUCT),
            (
                state.product_updates or state.product_attr_upserts or state.product_attr_deletes,
                exchange_permissions.CHANGE_PRODUCT,
            ),
            (state.new_variants, exchange_permissions.ADD_VARIANT),
            (state.variant_updates or state.attr_upserts or state.attr_deletes, exchange_permissions.CHANGE_VARIANT),
            (state.price_upserts or state.price_deletes, exchange_permissions.CHANGE_PRICE),
            (state.stock_upserts, exchange_permissions.CHANGE_STOCK),
        ):
            if needed:
                self.permissions.add(code)

    def _chunk_write(self, state):
        self._permissions_note(state)
        if connection.vendor == "postgresql":
            self._chunk_write_copy(state)
        else:
            self._chunk_write_values(state)
            # В SQLite нет SET CONSTRAINTS: внешние ключи отложены до COMMIT. Проверить их здесь,
            # в точке сохранения пачки, — нарушение откатит пачку, и построчный повтор назовёт
            # строку, как на PostgreSQL (см. run). PRAGMA foreign_key_check читает таблицы целиком,
            # что для каталога встроенного варианта (сотни товаров) ничего не стоит.
            connection.check_constraints(table_names=IMPORT_TABLES)
        self.refresh_products |= state.touched_products
        for ref, _key in [*state.product_attr_upserts, *state.product_attr_deletes]:
            self.refresh_products.add(ref_id(ref))
        self.index_products.update(ref_id(ref) for ref in state.index_refs)
        self.offer_products.update(ref_id(ref) for ref in state.offer_refs)
        self.search_products.update(ref_id(ref) for ref in [*state.index_refs, *state.search_refs])

    def _chunk_write_copy(self, state):
        """Записать пачку в PostgreSQL: COPY во временные таблицы и по команде на таблицу."""
        with connection.cursor() as cursor:
            if state.new_products:
                ids = staging.insert_returning(
                    cursor,
                    Product,
                    "exchange_stage_product",
                    PRODUCT_STAGE,
                    [
                        (f["name"], f["slug"], f["main_category_id"], f["brand_id"], f["description"])
                        for f in (ref.fields for ref in state.new_products.values())
                    ],
                    key="slug",
                )
                for ref in state.new_products.values():
                    ref.pk = ids[ref.fields["slug"]]
                    state.touched_products.add(ref.pk)
            if state.product_updates:
                staging.update_from(
                    cursor,
                    "catalog_product",
                    "exchange_stage_product_update",
                    PRODUCT_UPDATE_STAGE,
                    [
                        (pk, row["name"], row["description"], row["main_category_id"], row["brand_id"])
                        for pk, row in state.product_updates.items()
                    ],
                    extra_set="updated_at = CURRENT_TIMESTAMP",
                )
            if state.new_variants:
                rows = []
                for variant_ref, product_ref in state.new_variants:
                    product_id = ref_id(product_ref)
                    state.touched_products.add(product_id)
                    fields = variant_ref.fields
                    rows.append((fields["sku"], fields["barcode"], fields["name"], product_id))
                ids = staging.insert_returning(
                    cursor, Variant, "exchange_stage_variant", VARIANT_STAGE, rows, key="sku"
                )
                for variant_ref, _product_ref in state.new_variants:
                    variant_ref.pk = ids[variant_ref.fields["sku"]]
            if state.variant_updates:
                staging.update_from(
                    cursor,
                    "catalog_variant",
                    "exchange_stage_variant_update",
                    VARIANT_UPDATE_STAGE,
                    [(pk, row["barcode"], row["name"]) for pk, row in state.variant_updates.items()],
                )
                state.touched_products.update(row["product_id"] for row in state.variant_updates.values())
            if state.price_deletes:
                staging.delete_pairs(
                    cursor,
                    "pricing_variantprice",
                    "exchange_stage_price_delete",
                    (("variant_id", "bigint"), ("price_list_id", "bigint")),
                    [(ref_id(v), k) for v, k in state.price_deletes],
                )
            if state.price_upserts:
                staging.upsert_from(
                    cursor,
                    "pricing_variantprice",
                    "exchange_stage_price",
                    PRICE_STAGE,
                    [(ref_id(v), k, price, old) for (v, k), (price, old) in state.price_upserts.items()],
                    conflict=("variant_id", "price_list_id"),
                    update=("price", "old_price"),
                )
            if state.stock_upserts:
                staging.upsert_from(
                    cursor,
                    "inventory_stock",
                    "exchange_stage_stock",
                    STOCK_STAGE,
                    [(ref_id(v), k, quantity) for (v, k), quantity in state.stock_upserts.items()],
                    conflict=("variant_id", "warehouse_id"),
                    update=("quantity",),
                    constants=(("reserved", 0),),
                )
            for table, owner, upserts, deletes in (
                ("catalog_variantattributevalue", "variant_id", state.attr_upserts, state.attr_deletes),
                ("catalog_productattributevalue", "product_id", state.product_attr_upserts, state.product_attr_deletes),
            ):
                if deletes:
                    staging.delete_pairs(
                        cursor,
                        table,
                        f"exchange_stage_{owner}_attr_delete",
                        ((owner, "bigint"), ("attribute_id", "bigint")),
                        [(ref_id(o), k) for o, k in deletes],
                    )
                if upserts:
                    staging.upsert_from(
                        cursor,
                        table,
                        f"exchange_stage_{owner}_attr",
                        ((owner, "bigint"), *ATTR_VALUE_STAGE),
                        [(ref_id(o), k, *value) for (o, k), value in upserts.items()],
                        conflict=(owner, "attribute_id"),
                        update=("choice_id", "value_text", "value_number", "value_boolean"),
                    )

    def _chunk_write_values(self, state):
        """Записать пачку многострочными VALUES (SQLite для `make run`; PostgreSQL идёт через COPY)."""
        if state.new_products:
            products = [Product(**ref.fields) for ref in state.new_products.values()]
            Product.objects.bulk_create(products, batch_size=500)
            for ref, product in zip(state.new_products.values(), products, strict=True):
                ref.pk = product.pk
                state.touched_products.add(product.pk)
        if state.product_updates:
            _values_update(
                "catalog_product",
                [
                    (pk, row["name"], row["description"], row["main_category_id"], row["brand_id"])
                    for pk, row in state.product_updates.items()
                ],
                columns=("name", "description", "main_category_id", "brand_id"),
                casts=("text", "text", "bigint", "bigint"),
                extra_set="updated_at = CURRENT_TIMESTAMP",
            )
        if state.new_variants:
            variants = []
            for variant_ref, product_ref in state.new_variants:
                variants.append(Variant(product_id=ref_id(product_ref), **variant_ref.fields))
                state.touched_products.add(ref_id(product_ref))
            Variant.objects.bulk_create(variants, batch_size=500)
            for (variant_ref, _ref), variant in zip(state.new_variants, variants, strict=True):
                variant_ref.pk = variant.pk
        if state.variant_updates:
            _values_update(
                "catalog_variant",
                [(pk, row["barcode"], row["name"]) for pk, row in state.variant_updates.items()],
                columns=("barcode", "name"),
                casts=("varchar", "text"),
            )
            state.touched_products.update(row["product_id"] for row in state.variant_updates.values())
        if state.price_deletes:
            _pairs_delete(
                "pricing_variantprice", "variant_id", "price_list_id", [(ref_id(v), k) for v, k in state.price_deletes]
            )
        if state.price_upserts:
            _values_upsert(
                "pricing_variantprice",
                ("variant_id", "price_list_id", "price", "old_price"),
                [(ref_id(v), k, price, old) for (v, k), (price, old) in state.price_upserts.items()],
                conflict=("variant_id", "price_list_id"),
                update=("price", "old_price"),
            )
        if state.stock_upserts:
            _values_upsert(
                "inventory_stock",
                ("variant_id", "warehouse_id", "quantity", "reserved"),
                [(ref_id(v), k, quantity, 0) for (v, k), quantity in state.stock_upserts.items()],
                conflict=("variant_id", "warehouse_id"),
                update=("quantity",),
            )
        for table, owner, upserts, deletes in (
            ("catalog_variantattributevalue", "variant_id", state.attr_upserts, state.attr_deletes),
            ("catalog_productattributevalue", "product_id", state.product_attr_upserts, state.product_attr_deletes),
        ):
            if deletes:
                _pairs_delete(table, owner, "attribute_id", [(ref_id(o), k) for o, k in deletes])
            if upserts:
                _values_upsert(
                    table,
                    (owner, "attribute_id", "choice_id", "value_text", "value_number", "value_boolean"),
                    [(ref_id(o), k, *value) for (o, k), value in upserts.items()],
                    conflict=(owner, "attribute_id"),
                    update=("choice_id", "value_text", "value_number", "value_boolean"),
                )

    def catalog_refresh(self):
        """Пересчитать денормализованные таблицы каталога один раз на импорт; вернуть id изменённых товаров.

        Индексы фильтров пересчитываются только для товаров, у которых изменились категория или
        атрибуты, предложения — для товаров с другими ценами, остатками, названием или брендом
        (новые товары — и то, и другое): импорт цен и остатков не трогает индексы вовсе. Каждая
        функция каталога зовётся одним вызовом на весь импорт (не после каждой пачки): её
        стоимость почти линейна по числу товаров, а постоянные расходы вызова платятся один раз.
        Если изменена большая часть каталога, функция зовётся для всего каталога — это то же
        множество, но без массива из сотен тысяч id. Пробному прогону пересчёт не нужен: его
        запись откатывается.

        Возвращает товары, у которых изменилось то, что индексирует поиск (поля товара, варианты,
        атрибуты, категории), — для переиндексации поиска. Цены и остатки в поиск не входят:
        импорт цен и остатков всего каталога не ставит переиндексацию 100 тыс. товаров (около
        8–11 мс на товар в индексе modelsearch, то есть 15–18 минут работы воркера).
        """
        product_ids = sorted(pk for pk in self.refresh_products if pk is not None)
        if not product_ids:
            return []
        catalog_size = max(Product.objects.count(), 1)
        started = time.monotonic()
        for refresh, changed in (
            (product_index_refresh, self.index_products),
            (product_offer_refresh, self.offer_products),
        ):
            ids = sorted(pk for pk in changed if pk is not None)
            if ids:
                refresh(product_ids=None if len(ids) >= REFRESH_ALL_SHARE * catalog_size else ids)
        self.report.refresh_seconds = time.monotonic() - started
        return sorted(pk for pk in self.search_products if pk is not None)


PRODUCT_STAGE = (
    ("name", "text"),
    ("slug", "text"),
    ("main_category_id", "bigint"),
    ("brand_id", "bigint"),
    ("description", "text"),
)
PRODUCT_UPDATE_STAGE = (
    ("id", "bigint"),
    ("name", "text"),
    ("description", "text"),
    ("main_category_id", "bigint"),
    ("brand_id", "bigint"),
)
VARIANT_STAGE = (("sku", "text"), ("barcode", "text"), ("name", "text"), ("product_id", "bigint"))
VARIANT_UPDATE_STAGE = (("id", "bigint"), ("barcode", "text"), ("name", "text"))
PRICE_STAGE = (("variant_id", "bigint"), ("price_list_id", "bigint"), ("price", "numeric"), ("old_price", "numeric"))
STOCK_STAGE = (("variant_id", "bigint"), ("warehouse_id", "bigint"), ("quantity", "integer"))
ATTR_VALUE_STAGE = (
    ("attribute_id", "bigint"),
    ("choice_id", "bigint"),
    ("value_text", "text"),
    ("value_number", "numeric"),
    ("value_boolean", "boolean"),
)
# Таблицы, которые импорт наполняет и читает в одной транзакции (см. _statistics_refresh и _chunk_write).
IMPORT_TABLES = (
    "catalog_product",
    "catalog_variant",
    "pricing_variantprice",
    "inventory_stock",
    "catalog_variantattributevalue",
    "catalog_productattributevalue",
)
STATISTICS_MIN_ROWS = 2000
# Доля каталога, начиная с которой пересчёт идёт по всему каталогу, а не по списку id.
REFRESH_ALL_SHARE = 0.5


def _fetch(cursor, sql, *conditions):
    """Выполнить запрос с условиями «столбец входит в список» на местах {} и вернуть все строки.

    conditions — пары (столбец, значения) в порядке мест {} в тексте. Условие строит sql_in
    каталога: на PostgreSQL — один параметр-массив (= ANY), в других базах (SQLite встроенного
    варианта) — IN с плейсхолдерами; пачка импорта (EXCHANGE_CHUNK_ROWS) укладывается в предел
    параметров SQLite.
    """
    wheres, params = [], []
    for column, values in conditions:
        where, values_params = sql_in(column, list(values))
        wheres.append(where)
        params += values_params
    cursor.execute(sql.format(*wheres), params)
    return cursor.fetchall()


def _decimal(value):
    """Вернуть число из базы как Decimal: SQLite отдаёт NUMERIC курсору как int или float (PostgreSQL — Decimal).

    float 19.99 из SQLite — ближайшее двоичное число, и сравнение с Decimal("19.99") из файла
    дало бы «изменено» на каждой строке; str(float) — кратчайшая запись, то есть «19.99».
    """
    if value is None or value.__class__ is Decimal:
        return value
    return Decimal(str(value))


def _attribute_value(value):
    """Вернуть значение атрибута (choice_id, text, number, boolean) из базы в виде, который даёт разбор строки."""
    choice_id, text, number, boolean = value
    return (choice_id, text, _decimal(number), None if boolean is None else bool(boolean))


def _batches(rows, width):
    size = max(MAX_PARAMS // max(width, 1), 1)
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _values_update(table, rows, *, columns, casts, extra_set=""):
    """UPDATE table SET ... FROM (VALUES ...) — одна команда на тысячи строк (PostgreSQL и SQLite 3.33+)."""
    names = ", ".join(("id", *columns))
    assignments = [f"{column} = CAST(v.{column} AS {cast})" for column, cast in zip(columns, casts, strict=True)]
    if extra_set:
        assignments.append(extra_set)
    placeholder = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    with connection.cursor() as cursor:
        for batch in _batches(rows, len(columns) + 1):
            values = ", ".join([placeholder] * len(batch))
            sql = (
                f"WITH v ({names}) AS (VALUES {values}) "  # noqa: S608 — имена из кода, значения — параметры
                f"UPDATE {table} SET {', '.join(assignments)} FROM v WHERE {table}.id = CAST(v.id AS bigint)"
            )
            cursor.execute(sql, [value for row in batch for value in row])


def _values_upsert(table, columns, rows, *, conflict, update):
    """INSERT ... ON CONFLICT DO UPDATE для многих строк одной командой."""
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    assignments = ", ".join(f"{column} = excluded.{column}" for column in update)
    with connection.cursor() as cursor:
        for batch in _batches(rows, len(columns)):
            values = ", ".join([placeholder] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "  # noqa: S608
                f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {assignments}",
                [value for row in batch for value in row],
            )


def _pairs_delete(table, first, second, pairs):
    with connection.cursor() as cursor:
        for batch in _batches(list(pairs), 2):
            condition = " OR ".join([f"({first} = %s AND {second} = %s)"] * len(batch))
            cursor.execute(f"DELETE FROM {table} WHERE {condition}", [value for pair in batch for value in pair])  # noqa: S608


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


def _row_empty(values):
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


def import_cache_invalidate():
    """Сбросить кэш витрины после импорта (структура — тоже: могли появиться категории и бренды)."""
    catalog_cache_invalidate(structure=True)
