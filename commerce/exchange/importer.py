"""Шаг импорта «прогон»: строки листа → разбор → пачки сверки и записи в одной транзакции → отчёт.

Почему своё, а не построчный путь django-import-export: он делает несколько запросов и
full_clean() на каждую строку (около 470 строк/с). Здесь строки идут пачками по
EXCHANGE_CHUNK_ROWS: пачка сверяется с базой несколькими запросами (варианты, товары, цены,
остатки, атрибуты — по одному), а пишется многострочными INSERT ... ON CONFLICT и
UPDATE ... FROM (VALUES ...). Ошибки остаются построчными: каждая строка проверяется теми же
правилами, что и модели каталога (валидаторы полей, EAN-13, старая цена больше цены, остаток
не меньше резерва), до записи; строка с ошибкой не попадает в пачку. Если база всё же отвергла
пачку (гонка, неучтённое ограничение), пачка откатывается до точки сохранения и проходит
по одной строке — так ошибка находит свою строку.

Шаги — по модулям: import_header (заголовок), import_rows (разбор строки, без базы),
import_diff (сверка пачки с базой), import_write (запись пачки); здесь — их порядок, точки
сохранения пачек, отчёт и пересчёт каталога.

Денормализованные таблицы каталога (индексы категорий и значений, предложения в регионах)
пересчитываются функциями каталога для товаров каждой пачки; кэш витрины сбрасывается один раз.
"""

import time
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commerce.catalog.cache import catalog_cache_invalidate
from commerce.catalog.indexing import product_index_refresh
from commerce.catalog.models import Product
from commerce.catalog.offers import product_offer_refresh
from commerce.exchange import error_codes, import_write, sheet_format
from commerce.exchange.db_session import bulk_session_tune
from commerce.exchange.import_diff import (
    CREATED,
    REJECTED,
    UNCHANGED,
    UPDATED,
    ChunkState,
    existing_load,
    ref_id,
    row_diff,
)
from commerce.exchange.import_header import header_parse
from commerce.exchange.import_rows import RowParser, RowRejected, row_empty
from commerce.exchange.sheet_format import CLEAR, cell_text

# Имена, которые импортируют services и тесты: итог строк и разбор заголовка.
__all__ = ["CREATED", "REJECTED", "UNCHANGED", "UPDATED", "CatalogImporter", "header_parse", "import_cache_invalidate"]

STATISTICS_MIN_ROWS = 2000
# Причины отказа строки — ленивые: справочник ищется на каждой строке, а отказ редок.
CATEGORY_UNKNOWN = gettext_lazy("категории «%(value)s» нет (включите создание недостающих категорий)")
BRAND_UNKNOWN = gettext_lazy("бренда «%(value)s» нет (включите создание недостающих брендов)")
# Доля каталога, начиная с которой пересчёт идёт по всему каталогу, а не по списку id.
REFRESH_ALL_SHARE = 0.5


@dataclass
class RowOutcome:
    """Итог строки: действие (CREATED, UPDATED, UNCHANGED, REJECTED) и причина отказа."""

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


class CatalogImporter:
    """Импортёр листа каталога: строки → проверка → пачки записей в одной транзакции.

    Args:
        lookup: справочники (lookups.CatalogLookup).
        header: разобранный заголовок (import_header.header_parse).
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
        self.parser = RowParser(lookup=lookup, header=header)
        self.category_ids = {}
        self.brand_ids = {}
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

    # --- справочники строки ---------------------------------------------------------------

    def _references_resolve(self, row):
        """Найти (или создать, если разрешено) категорию и бренд строки; только для верных строк.

        Найденные id запоминаются по тексту ячейки: у 250 тыс. строк — сотни разных категорий.
        """
        product = row.product
        if "category" in product:
            product["main_category_id"] = self._reference_id(
                product["category"],
                self.category_ids,
                find=self.lookup.category_find,
                create=self.lookup.category_create,
                rejected=(error_codes.ROW_CATEGORY_UNKNOWN, CATEGORY_UNKNOWN, sheet_format.CATEGORY),
            )
        if "brand" in product:
            text = product["brand"]
            product["brand_id"] = (
                None
                if text == CLEAR
                else self._reference_id(
                    text,
                    self.brand_ids,
                    find=self.lookup.brand_find,
                    create=self.lookup.brand_create,
                    rejected=(error_codes.ROW_BRAND_UNKNOWN, BRAND_UNKNOWN, sheet_format.BRAND),
                )
            )

    def _reference_id(self, text, found, *, find, create, rejected):
        """Вернуть id справочника по тексту ячейки: из found, поиском find или созданием create.

        Без create_missing неизвестное значение — отказ строки rejected (код, сообщение, столбец).
        """
        reference_id = found.get(text)
        if reference_id is None:
            reference_id = find(text)
            if reference_id is None:
                if not self.create_missing:
                    code, message, column = rejected
                    raise RowRejected(code, message % {"value": text}, column)
                reference_id = create(text)
            found[text] = reference_id
        return reference_id

    # --- прогон --------------------------------------------------------------------------

    # --- прогон --------------------------------------------------------------------------

    def run(self, rows, *, progress=None):
        """Импортировать строки (итератор пар номер, значения) в текущей транзакции; вернуть отчёт.

        На PostgreSQL внешние ключи на время прогона проверяются сразу после каждой команды
        (SET CONSTRAINTS ALL IMMEDIATE), а не при COMMIT: нарушение (например, категорию
        удалили, пока шёл импорт) откатывает пачку до её точки сохранения, и построчный повтор
        называет строку — иначе весь импорт упал бы при фиксации без указания строки. Стоимость
        та же (проверка на строку в любом случае), но страницы, на которые ссылаются строки
        пачки, в этот момент ещё в кэше. После прогона — снова DEFERRED, как у Django.

        Там же — настройки сеанса до конца транзакции импорта (db_session.bulk_session_tune).
        """
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            bulk_session_tune()
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
            if row_empty(values):
                continue  # пустые строки (в том числе хвостовые) пропускаем
            self.report.rows_total += 1
            try:
                row = self.parser.row_parse(number, values)
                self.parser.signature_check(row)
                self._references_resolve(row)
            except RowRejected as error:
                sku_index = self.header.fixed[sheet_format.SKU].index
                self._reject(number, values, cell_text(values[sku_index]) if sku_index < len(values) else "", error)
                continue
            self.parser.row_accept(row)
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
            cursor.execute(f"ANALYZE {', '.join(import_write.IMPORT_TABLES)}")

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

    # --- сверка пачки с базой и запись -----------------------------------------------------

    def _chunk_apply(self, rows):
        state = ChunkState()
        existing = existing_load(rows, header=self.header, lookup=self.lookup)
        for row in rows:
            try:
                action = row_diff(row, existing, state, lookup=self.lookup, applied_products=self.applied_products)
            except RowRejected as error:
                rejected = RowOutcome(number=row.number, sku=row.sku, action=REJECTED)
                rejected.row = row
                rejected.error = error
                state.outcomes.append(rejected)
                continue
            state.outcomes.append(RowOutcome(number=row.number, sku=row.sku, action=action))
        self._chunk_write(state)
        return state

    @property
    def write_permissions(self):
        """Права моделей на всё, что импорт записал (строки и справочники): set кодов прав."""
        return self.permissions | self.lookup.permissions

    def _chunk_write(self, state):
        self.permissions |= import_write.permissions_needed(state)
        import_write.chunk_write(state)
        self.refresh_products |= state.touched_products
        for ref, _key in [*state.product_attr_upserts, *state.product_attr_deletes]:
            self.refresh_products.add(ref_id(ref))
        self.index_products.update(ref_id(ref) for ref in state.index_refs)
        self.offer_products.update(ref_id(ref) for ref in state.offer_refs)
        self.search_products.update(ref_id(ref) for ref in [*state.index_refs, *state.search_refs])

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


def import_cache_invalidate():
    """Сбросить кэш витрины после импорта (структура — тоже: могли появиться категории и бренды)."""
    catalog_cache_invalidate(structure=True)
