"""Импорт и экспорт каталога одним файлом: задания, прогон, запись файла.

Жизненный цикл импорта: import_job_create (файл проверен стражами и заголовком, сохранён для
аудита) → задача проверки: import_run(dry_run=True) — та же запись в транзакции, которая
откатывается, поэтому предпросмотр точен (создано, изменено, без изменений, отклонено) и
ничего не пишет → import_job_confirm → задача применения: import_run(dry_run=False).
Режим «всё или ничего» откатывает всё при первой же отклонённой строке; режим «применить
верные» фиксирует верные строки и сохраняет файл отклонённых строк со столбцом reason.
"""

import logging
import os
import tempfile
import time

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException

from commerce.catalog.models import AttributeType, Product, ProductCategoryIndex
from commerce.exchange import error_codes
from commerce.exchange import format as spec
from commerce.exchange.importer import REJECTED, CatalogImporter, header_parse, import_cache_invalidate
from commerce.exchange.lookups import CatalogLookup
from commerce.exchange.models import ExportJob, ExportStatus, ImportJob, ImportMode, ImportStatus
from commerce.exchange.progress import progress_set
from commerce.exchange.readers import ExchangeFileError, workbook_open
from commerce.exchange.writers import table_writer

logger = logging.getLogger(__name__)

MAIN_SHEET_NAMES = {"catalog", "каталог", "товары", "products"}
SERVICE_SHEET_NAMES = {spec.CATEGORIES_SHEET, spec.ATTRIBUTES_SHEET, "категории", "атрибуты"}


class ExchangeFileInvalid(APIException):
    """Файл не принят (стражи, формат, заголовок); код — из error_codes."""

    status_code = 400
    default_code = error_codes.FILE_NOT_SPREADSHEET
    default_detail = _("Файл не принят.")

    def __init__(self, error):
        super().__init__(detail=error.message)
        self.default_code = error.code


class ExchangeJobStateInvalid(APIException):
    status_code = 409
    default_code = error_codes.JOB_STATE_INVALID
    default_detail = _("Задание в другом состоянии.")


def main_sheet_name(workbook):
    """Выбрать лист с товарами: «catalog» (или «Каталог», «Товары»), иначе первый не служебный."""
    for name in workbook.sheet_names:
        if name.strip().casefold() in MAIN_SHEET_NAMES:
            return name
    for name in workbook.sheet_names:
        if name.strip().casefold() not in SERVICE_SHEET_NAMES:
            return name
    raise ExchangeFileError(error_codes.SHEET_NOT_FOUND, _("В книге нет листа с товарами."))


def sheet_header(rows):
    """Вернуть (номер строки, значения) заголовка — первой непустой строки листа."""
    for number, values in rows:
        if any(spec.cell_text(value) for value in values):
            return number, values
    raise ExchangeFileError(error_codes.FILE_EMPTY, _("Лист пуст: нет строки заголовка."))


def import_file_inspect(fileobj, *, filename=""):
    """Проверить файл до постановки в очередь: стражи, формат, заголовок; вернуть формат.

    Raises:
        ExchangeFileError: файл не таблица, zip-бомба, неизвестные столбцы и т. п.
    """
    workbook = workbook_open(fileobj, filename=filename)
    try:
        sheet = workbook.sheet(main_sheet_name(workbook))
        _number, titles = sheet_header(sheet.rows)
        header_parse(titles, CatalogLookup())
        if next(sheet.rows, None) is None:
            raise ExchangeFileError(error_codes.FILE_EMPTY, _("В файле только заголовок: нет строк с товарами."))
        return workbook.format
    finally:
        workbook.close()


def import_job_create(*, user, uploaded_file, mode=ImportMode.ALL_OR_NOTHING, create_missing=False, enqueue=True):
    """Принять файл импорта: проверить, сохранить для аудита и поставить пробный прогон в очередь.

    Raises:
        ExchangeFileInvalid: файл не прошёл проверку (400 с кодом из error_codes).
    """
    try:
        file_format = import_file_inspect(uploaded_file, filename=uploaded_file.name)
    except ExchangeFileError as error:
        raise ExchangeFileInvalid(error) from error
    uploaded_file.seek(0)
    job = ImportJob(
        user=user if user is not None and user.is_authenticated else None,
        original_name=os.path.basename(uploaded_file.name or "catalog")[:255],
        file_format=file_format,
        mode=mode,
        create_missing=create_missing,
    )
    job.file.save(job.original_name or "catalog", uploaded_file, save=False)
    job.save()
    if enqueue:
        from commerce.exchange.tasks import import_validate_task

        transaction.on_commit(lambda: import_validate_task.delay(job.pk))
    return job


def import_job_confirm(*, job, enqueue=True):
    """Подтвердить проверенный импорт и поставить применение в очередь.

    Raises:
        ExchangeJobStateInvalid: задание не в состоянии «проверен» или в режиме «всё или ничего» есть ошибки.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.PREVIEW:
            raise ExchangeJobStateInvalid(_("Подтвердить можно только проверенный импорт."))
        if job.mode == ImportMode.ALL_OR_NOTHING and job.rows_rejected:
            raise ExchangeJobStateInvalid(
                _("В файле есть отклонённые строки: исправьте их или выберите режим «применить верные строки».")
            )
        job.status = ImportStatus.APPLYING
        job.confirmed_at = timezone.now()
        job.save(update_fields=["status", "confirmed_at"])
        if enqueue:
            from commerce.exchange.tasks import import_apply_task

            transaction.on_commit(lambda: import_apply_task.delay(job.pk))
    return job


def import_run(*, job, dry_run, chunk_rows=2000):
    """Прогнать файл задания: dry_run — проверка с откатом, иначе применение; обновить журнал.

    Ошибки файла (ExchangeFileError) записываются в задание как «файл не прочитан»; ошибка
    строки не останавливает прогон. Возвращает ImportReport (или None, если файл не прочитан).
    """
    job.status = ImportStatus.VALIDATING if dry_run else ImportStatus.APPLYING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    stage = "validating" if dry_run else "applying"
    progress_set(kind="import", job_id=job.pk, percent=0, rows=0, rows_per_second=0, stage=stage)
    rejected_temp = tempfile.TemporaryFile()  # noqa: SIM115 — закрывается ниже на всех путях
    rejected = {"writer": None}
    try:
        with job.file.open("rb") as stored:
            report = _import_file(
                job, stored, dry_run=dry_run, chunk_rows=chunk_rows, rejected=rejected, temp=rejected_temp
            )
    except ExchangeFileError as error:
        _job_fail(job, error.code, error.message)
        return None
    except Exception:
        logger.exception("Импорт #%s упал", job.pk)
        _job_fail(
            job,
            error_codes.FILE_BROKEN,
            _("Импорт прерван внутренней ошибкой; файл сохранён, обратитесь к администратору."),
        )
        rejected_temp.close()
        raise
    job.rows_total = report.rows_total
    job.rows_created = report.counts["created"]
    job.rows_updated = report.counts["updated"]
    job.rows_unchanged = report.counts["unchanged"]
    job.rows_rejected = report.counts[REJECTED]
    job.rows_per_second = round(report.rows_per_second, 1)
    job.errors = report.errors
    job.preview = report.preview
    job.finished_at = timezone.now()
    job.error_code = job.error_message = ""
    if dry_run:
        job.status = ImportStatus.PREVIEW
    elif report.applied:
        job.status = ImportStatus.DONE
    else:
        job.status = ImportStatus.REJECTED
        job.error_code = error_codes.ROWS_REJECTED
        job.error_message = _("Отклонено строк: %(count)s; по правилу «всё или ничего» ничего не записано.") % {
            "count": report.counts[REJECTED]
        }
    if rejected["writer"] is not None:
        rejected["writer"].close()
        rejected_temp.seek(0)
        base = os.path.splitext(job.original_name or "catalog")[0]
        job.rejected_file.save(f"{base}-rejected.{job.file_format or 'xlsx'}", File(rejected_temp), save=False)
    rejected_temp.close()
    job.save()
    progress_set(
        kind="import",
        job_id=job.pk,
        percent=100,
        rows=report.rows_total,
        rows_per_second=report.rows_per_second,
        stage="finished",
    )
    return report


def _import_file(job, stored, *, dry_run, chunk_rows, rejected, temp):
    workbook = workbook_open(stored, filename=job.original_name)
    try:
        sheet = workbook.sheet(main_sheet_name(workbook))
        _number, titles = sheet_header(sheet.rows)
        lookup = CatalogLookup()
        header = header_parse(titles, lookup)

        def on_rejected(values, reason):
            if rejected["writer"] is None:
                rejected["writer"] = table_writer(temp, file_format=workbook.format)
                rejected["writer"].sheet(spec.MAIN_SHEET, [*header.titles, spec.REASON_COLUMN])
            width = len(header.titles)
            rejected["writer"].row(
                [*[_plain(value) for value in values[:width]], *[None] * (width - len(values)), reason]
            )

        def on_progress(rows, rows_per_second, fraction):
            percent = (fraction or 0) * 100
            progress_set(
                kind="import",
                job_id=job.pk,
                percent=min(percent, 99.0),
                rows=rows,
                rows_per_second=rows_per_second,
                stage="validating" if dry_run else "applying",
            )

        importer = CatalogImporter(
            lookup=lookup,
            header=header,
            create_missing=job.create_missing,
            chunk_rows=chunk_rows,
            on_progress=on_progress,
            on_rejected=on_rejected,
        )
        with transaction.atomic():
            report = importer.run(sheet.rows, progress=sheet.progress)
            if report.rows_total == 0:
                raise ExchangeFileError(error_codes.FILE_EMPTY, _("В файле только заголовок: нет строк с товарами."))
            keep = not dry_run and (job.mode == ImportMode.SKIP_INVALID or not report.counts[REJECTED])
            if keep:
                report.applied = True
                if importer.changed:
                    product_ids = importer.catalog_refresh()
                    import_cache_invalidate()
                    search_reindex_on_commit(product_ids)
            else:
                # Пробный прогон и «всё или ничего» с ошибками: всё, что записано, откатывается.
                transaction.set_rollback(True)
        return report
    finally:
        workbook.close()


def search_reindex_on_commit(product_ids):
    """Поставить переиндексацию записанных товаров в поиске после фиксации транзакции.

    Импорт пишет пачками в обход save(), и сигналы поиска (commerce.search.signals) не
    срабатывают; поэтому товары импорта переиндексирует задача поиска search_products_reindex,
    пачками по EXCHANGE_REINDEX_BATCH id, — после фиксации, чтобы задача видела новые данные,
    и ни разу, если транзакция откатилась.
    """
    ids = sorted(product_ids)
    if not ids:
        return
    batch = max(int(getattr(settings, "EXCHANGE_REINDEX_BATCH", 5000)), 1)

    def enqueue():
        from commerce.search.tasks import search_products_reindex

        for start in range(0, len(ids), batch):
            search_products_reindex.delay(ids[start : start + batch])

    transaction.on_commit(enqueue)


def _plain(value):
    return None if value is None else (value if isinstance(value, int | float | str) else str(value))


def _job_fail(job, code, message):
    job.status = ImportStatus.FAILED
    job.error_code = code
    job.error_message = str(message)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error_code", "error_message", "finished_at"])
    progress_set(kind="import", job_id=job.pk, percent=100, rows=0, rows_per_second=0, stage="failed")


# --- экспорт ---------------------------------------------------------------------------------


def export_columns(lookup, *, region=None, variant_attribute_ids=(), product_attribute_ids=()):
    """Собрать столбцы экспорта: фиксированные, атрибуты, цены и остатки (по региону, если задан)."""
    price_lists = [
        row for row in lookup.price_lists.values() if region is None or row["region_id"] in (None, region.pk)
    ]
    warehouses = [row for row in lookup.warehouses.values() if region is None or row["region_id"] == region.pk]
    attributes = lookup.attributes_by_id
    variant_attrs = sorted((attributes[pk] for pk in variant_attribute_ids), key=lambda row: row["code"])
    product_attrs = sorted((attributes[pk] for pk in product_attribute_ids), key=lambda row: row["code"])
    titles = list(spec.FIXED_COLUMNS)
    titles += [spec.PRODUCT_ATTR_PREFIX + row["code"] for row in product_attrs]
    titles += [spec.ATTR_PREFIX + row["code"] for row in variant_attrs]
    for row in sorted(price_lists, key=lambda item: (item["region_id"] is not None, item["code"])):
        titles += [spec.PRICE_PREFIX + row["code"], spec.OLD_PRICE_PREFIX + row["code"]]
    titles += [spec.STOCK_PREFIX + row["code"] for row in sorted(warehouses, key=lambda item: item["code"])]
    return titles, price_lists, warehouses, variant_attrs, product_attrs


def attribute_value_format(lookup, attribute, value):
    """Записать значение атрибута так, как его читает импорт."""
    choice_id, text, number, boolean = value
    kind = attribute["type"]
    if kind == AttributeType.CHOICE:
        return lookup.choice_values.get(choice_id)
    if kind == AttributeType.NUMBER:
        return spec.number_format(number)
    if kind == AttributeType.BOOLEAN:
        return spec.boolean_format(boolean)
    return text or None


def export_write(*, fileobj, file_format="xlsx", category=None, region=None, chunk_rows=5000, on_progress=None):
    """Записать каталог в файл формата обмена потоком; вернуть число строк.

    Один проход по вариантам, упорядоченным по товару; цены, остатки и атрибуты пачки —
    по одному запросу на пачку. Память не растёт с размером каталога.

    Args:
        category: только товары этой категории и её подкатегорий.
        region: только прайс-листы (базовый и региона) и склады этого региона.
    """
    from commerce.catalog.models import ProductAttributeValue, Variant, VariantAttributeValue
    from commerce.inventory.models import Stock
    from commerce.pricing.models import VariantPrice

    lookup = CatalogLookup()
    products = Product.objects.all()
    if category is not None:
        products = products.filter(
            pk__in=ProductCategoryIndex.objects.filter(category_id=category.pk).values("product_id")
        )
    variants = Variant.objects.filter(product__in=products)
    variant_attribute_ids = list(
        VariantAttributeValue.objects.filter(variant__in=variants).values_list("attribute_id", flat=True).distinct()
    )
    product_attribute_ids = list(
        ProductAttributeValue.objects.filter(product__in=products).values_list("attribute_id", flat=True).distinct()
    )
    titles, price_lists, warehouses, variant_attrs, product_attrs = export_columns(
        lookup, region=region, variant_attribute_ids=variant_attribute_ids, product_attribute_ids=product_attribute_ids
    )
    list_ids = [
        row["id"] for row in sorted(price_lists, key=lambda item: (item["region_id"] is not None, item["code"]))
    ]
    warehouse_ids = [row["id"] for row in sorted(warehouses, key=lambda item: item["code"])]
    writer = table_writer(fileobj, file_format=file_format)
    writer.sheet(spec.MAIN_SHEET, titles)
    started = time.monotonic()
    count = 0
    query = variants.order_by("product__name", "product_id", "sort_order", "id").values_list(
        "id",
        "sku",
        "barcode",
        "name",
        "product_id",
        "product__slug",
        "product__name",
        "product__main_category_id",
        "product__brand_id",
        "product__description",
    )
    chunk = []

    def flush(chunk):
        variant_ids = [row[0] for row in chunk]
        product_ids = list({row[4] for row in chunk})
        prices = {
            (v, p): (price, old)
            for v, p, price, old in VariantPrice.objects.filter(
                variant_id__in=variant_ids, price_list_id__in=list_ids
            ).values_list("variant_id", "price_list_id", "price", "old_price")
        }
        stocks = {
            (v, w): q
            for v, w, q in Stock.objects.filter(variant_id__in=variant_ids, warehouse_id__in=warehouse_ids).values_list(
                "variant_id", "warehouse_id", "quantity"
            )
        }
        vattrs = {}
        if variant_attrs:
            for item in VariantAttributeValue.objects.filter(variant_id__in=variant_ids).values_list(
                "variant_id", "attribute_id", "choice_id", "value_text", "value_number", "value_boolean"
            ):
                vattrs[item[0], item[1]] = item[2:]
        pattrs = {}
        if product_attrs:
            for item in ProductAttributeValue.objects.filter(product_id__in=product_ids).values_list(
                "product_id", "attribute_id", "choice_id", "value_text", "value_number", "value_boolean"
            ):
                pattrs[item[0], item[1]] = item[2:]
        for variant_id, sku, barcode, name, product_id, slug, product_name, category_id, brand_id, description in chunk:
            values = [
                sku,
                barcode,
                name or None,
                slug,
                product_name,
                lookup.category_paths.get(category_id),
                lookup.brand_names.get(brand_id),
                description or None,
            ]
            for attribute in product_attrs:
                value = pattrs.get((product_id, attribute["id"]))
                values.append(None if value is None else attribute_value_format(lookup, attribute, value))
            for attribute in variant_attrs:
                value = vattrs.get((variant_id, attribute["id"]))
                values.append(None if value is None else attribute_value_format(lookup, attribute, value))
            for list_id in list_ids:
                price = prices.get((variant_id, list_id))
                values += [price[0], price[1]] if price else [None, None]
            for warehouse_id in warehouse_ids:
                values.append(stocks.get((variant_id, warehouse_id)))
            writer.row(values)

    # Серверный курсор PostgreSQL: строки приходят пачками, а не все сразу.
    for row in query.iterator(chunk_size=chunk_rows):
        chunk.append(row)
        if len(chunk) >= chunk_rows:
            flush(chunk)
            count += len(chunk)
            chunk = []
            if on_progress:
                on_progress(count, count / max(time.monotonic() - started, 1e-6))
    if chunk:
        flush(chunk)
        count += len(chunk)
    writer.close()
    return count


def export_job_create(*, user, file_format="xlsx", category=None, region=None, enqueue=True):
    """Создать задание экспорта и поставить его в очередь."""
    job = ExportJob.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        file_format=file_format,
        category=category,
        region=region,
    )
    if enqueue:
        from commerce.exchange.tasks import export_task

        transaction.on_commit(lambda: export_task.delay(job.pk))
    return job


def export_run(*, job):
    """Выполнить экспорт задания в файл и сохранить его в журнале."""
    job.status = ExportStatus.RUNNING
    job.save(update_fields=["status"])
    started = time.monotonic()

    def on_progress(rows, rows_per_second):
        progress_set(
            kind="export", job_id=job.pk, percent=0, rows=rows, rows_per_second=rows_per_second, stage="running"
        )

    with tempfile.TemporaryFile() as temp:
        try:
            count = export_write(
                fileobj=temp,
                file_format=job.file_format,
                category=job.category,
                region=job.region,
                on_progress=on_progress,
            )
        except Exception as error:
            job.status = ExportStatus.FAILED
            job.error_message = str(error)
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "error_message", "finished_at"])
            raise
        temp.seek(0)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        job.file.save(f"catalog-{stamp}.{job.file_format}", File(temp), save=False)
    seconds = time.monotonic() - started
    job.rows_total = count
    job.rows_per_second = round(count / seconds, 1) if seconds else 0
    job.status = ExportStatus.DONE
    job.finished_at = timezone.now()
    job.save()
    progress_set(
        kind="export", job_id=job.pk, percent=100, rows=count, rows_per_second=job.rows_per_second, stage="finished"
    )
    return job
