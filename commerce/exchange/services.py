"""Импорт каталога одним файлом: задания, прогон, права (экспорт — commerce.exchange.export).

Жизненный цикл импорта: import_job_create (запрос загрузки: только размер и первые байты
файла, файл сохраняется для аудита, ответ 202 с заданием) → задача проверки в очереди imports:
import_run(dry_run=True) — разбор книги, стражи архива и пределы содержимого, заголовок, затем
та же запись в транзакции, которая откатывается, поэтому предпросмотр точен (создано, изменено,
без изменений, отклонено) и ничего не пишет; файл, который не прочитан, — задание «файл не
прочитан» с кодом и причиной → import_job_confirm → задача применения: import_run(dry_run=False).

Разбор не идёт в запросе загрузки намеренно: XLSX на 12 МБ с 5,5 млн общих строк разбирался
в веб-воркере 31 с и занимал около 840 МБ (issue #20, п. 8).
Режим «всё или ничего» откатывает всё при первой же отклонённой строке; режим «применить
верные» фиксирует верные строки и сохраняет файл отклонённых строк со столбцом reason.
"""

import contextlib
import logging
import os
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException

from commerce.exchange import error_codes, sheet_format
from commerce.exchange import permissions as exchange_permissions
from commerce.exchange.importer import REJECTED, CatalogImporter, header_parse, import_cache_invalidate
from commerce.exchange.lookups import CatalogLookup
from commerce.exchange.models import ImportJob, ImportMode, ImportStatus
from commerce.exchange.progress import progress_set
from commerce.exchange.readers import ExchangeFileError, upload_check, workbook_open
from commerce.exchange.references import ATTRIBUTE_SHEETS, reference_sheets_import
from commerce.exchange.row_process import rows_parallel
from commerce.exchange.writers import table_writer
from commerce.search.tasks import search_products_reindex

logger = logging.getLogger(__name__)

MAIN_SHEET_NAMES = {"catalog", "каталог", "товары", "products"}
SERVICE_SHEET_NAMES = {sheet_format.CATEGORIES_SHEET, sheet_format.ATTRIBUTES_SHEET, "категории", "атрибуты"}


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


class ImportPermissionDenied(APIException):
    """Подтвердившему не хватает прав на то, что меняет импорт (403, код import_permission_denied)."""

    status_code = 403
    default_code = error_codes.IMPORT_PERMISSION_DENIED
    default_detail = _("Недостаточно прав, чтобы применить этот импорт.")

    def __init__(self, missing):
        super().__init__(detail=import_permission_message(missing))
        self.missing = missing


def import_permission_message(missing):
    """Сказать по-русски, каких прав не хватает для импорта."""
    return _("Недостаточно прав, чтобы применить этот импорт: нужно %(what)s (%(codes)s).") % {
        "what": exchange_permissions.permissions_describe(missing),
        "codes": ", ".join(sorted(missing)),
    }


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
        if any(sheet_format.cell_text(value) for value in values):
            return number, values
    raise ExchangeFileError(error_codes.FILE_EMPTY, _("Лист пуст: нет строки заголовка."))


def import_job_create(*, user, uploaded_file, mode=ImportMode.ALL_OR_NOTHING, create_missing=False, enqueue=True):
    """Принять файл импорта: сохранить для аудита и поставить проверку (пробный прогон) в очередь.

    Файл здесь не разбирается (см. readers.upload_check): сразу отклоняются только слишком
    большой, пустой, старый .xls и явно двоичный файл. Всё остальное — в задаче проверки.

    Raises:
        ExchangeFileInvalid: файл не прошёл проверку (400 с кодом из error_codes).
    """
    try:
        file_format = upload_check(uploaded_file)
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
        from commerce.exchange.tasks import import_validate_task  # tasks импортирует services: цикл

        transaction.on_commit(lambda: import_validate_task.delay(job.pk))
    return job


def import_confirm_permissions_missing(*, job, user):
    """Вернуть права, которых user не хватает, чтобы подтвердить job (пустой список — хватает)."""
    needed = {exchange_permissions.RUN_IMPORT, *job.required_permissions}
    if job.user_id != user.pk:
        needed.add(exchange_permissions.CONFIRM_ANY_IMPORT)
    return exchange_permissions.permissions_missing(user=user, permissions=needed)


def import_job_confirm(*, job, user, enqueue=True):
    """Подтвердить проверенный импорт от имени user и поставить применение в очередь.

    Нужны право exchange.run_import, права моделей, которые импорт меняет (по пробному
    прогону: job.required_permissions), а для чужого задания — exchange.change_importjob.
    Применение проверит права user ещё раз по фактическим записям (import_run).

    Raises:
        ImportPermissionDenied: у user нет какого-то из этих прав (403).
        ExchangeJobStateInvalid: задание не в состоянии «проверен» или в режиме «всё или ничего» есть ошибки.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        missing = import_confirm_permissions_missing(job=job, user=user)
        if missing:
            raise ImportPermissionDenied(missing)
        if job.status != ImportStatus.PREVIEW:
            raise ExchangeJobStateInvalid(_("Подтвердить можно только проверенный импорт."))
        if job.mode == ImportMode.ALL_OR_NOTHING and job.rows_rejected:
            raise ExchangeJobStateInvalid(
                _("В файле есть отклонённые строки: исправьте их или выберите режим «применить верные строки».")
            )
        job.status = ImportStatus.APPLYING
        job.confirmed_at = timezone.now()
        job.confirmed_by = user
        job.save(update_fields=["status", "confirmed_at", "confirmed_by"])
        if enqueue:
            from commerce.exchange.tasks import import_apply_task  # tasks импортирует services: цикл

            transaction.on_commit(lambda: import_apply_task.delay(job.pk))
    return job


def import_run(*, job, dry_run, chunk_rows=None):
    """Прогнать файл задания: dry_run — проверка с откатом, иначе применение; обновить журнал.

    Ошибки файла (ExchangeFileError) записываются в задание как «файл не прочитан»; ошибка
    строки не останавливает прогон. Возвращает ImportReport (или None, если файл не прочитан).
    """
    chunk_rows = chunk_rows or settings.EXCHANGE_CHUNK_ROWS
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
    except ImportPermissionDenied as error:
        _job_fail(job, error_codes.IMPORT_PERMISSION_DENIED, error.detail)
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
    job.required_permissions = report.required_permissions
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
        lookup = CatalogLookup()
        reference_errors = []

        def on_rejected(values, reason):
            if rejected["writer"] is None:
                rejected["writer"] = table_writer(temp, file_format=workbook.format)
                rejected["writer"].sheet(sheet_format.MAIN_SHEET, [*header.titles, sheet_format.REASON_COLUMN])
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

        with transaction.atomic():
            # Листы справочников — до каталога и в той же транзакции (пробный прогон откатит и их).
            reference_sheets_import(
                workbook,
                lookup,
                create_missing=job.create_missing,
                on_error=lambda name, number, error: reference_errors.append((name, number, error)),
            )
            _number, titles = sheet_header(sheet.rows)
            try:
                header = header_parse(titles, lookup)
            except ExchangeFileError as error:
                if not reference_errors:
                    raise
                # Столбец ссылается на атрибут, который лист attributes не смог завести: назвать причину.
                attribute_errors = [item for item in reference_errors if item[0].strip().casefold() in ATTRIBUTE_SHEETS]
                name, number, reason = (attribute_errors or reference_errors)[0]
                raise ExchangeFileError(
                    error.code,
                    _("%(error)s Лист %(sheet)s, строка %(number)s: %(reason)s.")
                    % {"error": error.message, "sheet": name, "number": number, "reason": reason.message},
                ) from error
            importer = CatalogImporter(
                lookup=lookup,
                header=header,
                create_missing=job.create_missing,
                chunk_rows=chunk_rows,
                on_progress=on_progress,
                on_rejected=on_rejected,
            )
            for name, number, error in reference_errors:
                importer.reference_reject(sheet=name, number=number, code=error.code, message=error.message)
            rows, progress = rows_parallel(sheet.rows, sheet.progress)
            with contextlib.closing(rows):
                report = importer.run(rows, progress=progress)
            if report.rows_total == 0:
                raise ExchangeFileError(error_codes.FILE_EMPTY, _("В файле только заголовок: нет строк с товарами."))
            report.required_permissions = sorted(importer.write_permissions)
            keep = not dry_run and (job.mode == ImportMode.SKIP_INVALID or not report.counts[REJECTED])
            if keep:
                _apply_permissions_check(job, report.required_permissions)
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


def _apply_permissions_check(job, required):
    """Проверить права подтвердившего на фактические записи применения; иначе откатить всё.

    Между пробным прогоном и применением каталог мог измениться (цену поправили в админке —
    и файл снова её меняет), поэтому права сверяются с тем, что записано на самом деле, до
    фиксации транзакции. Исключение откатывает транзакцию импорта целиком.
    """
    user = job.confirmed_by
    if user is None:
        # Применение всегда идёт от имени подтвердившего: задание без него не применяется.
        raise ImportPermissionDenied(sorted({exchange_permissions.RUN_IMPORT, *required}))
    missing = exchange_permissions.permissions_missing(
        user=user, permissions={exchange_permissions.RUN_IMPORT, *required}
    )
    if missing:
        raise ImportPermissionDenied(missing)


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
    batch = max(int(settings.EXCHANGE_REINDEX_BATCH), 1)

    def enqueue():
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
