"""Фабрики обмена: файлы XLSX и CSV в памяти и прогон импорта без очереди."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from commerce.exchange import services
from commerce.exchange.models import ImportJob, ImportMode
from tests.factories.accounts import UserFactory


def xlsx_bytes(rows, *, sheet="catalog", extra_sheets=None):
    """Собрать XLSX через openpyxl (сторонний писатель: так проверяем совместимость с Excel)."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    for name, sheet_rows in (extra_sheets or {}).items():
        extra = workbook.create_sheet(name)
        for row in sheet_rows:
            extra.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, encoding="utf-8", delimiter=";", bom=False):
    """Собрать CSV в нужной кодировке (cp1251 — как сохраняет русский Excel)."""
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows([["" if value is None else value for value in row] for row in rows])
    data = text.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def upload(data, name="catalog.xlsx"):
    return SimpleUploadedFile(name, data)


def import_job_make(data, *, name="catalog.xlsx", mode=ImportMode.ALL_OR_NOTHING, create_missing=False, user=None):
    """Принять файл как через API, но без очереди (задание в состоянии «загружен»)."""
    return services.import_job_create(
        user=user, uploaded_file=upload(data, name), mode=mode, create_missing=create_missing, enqueue=False
    )


def import_apply(
    data, *, name="catalog.xlsx", mode=ImportMode.ALL_OR_NOTHING, create_missing=False, chunk_rows=2000, user=None
):
    """Пройти весь путь: принять, проверить, подтвердить, применить; вернуть задание.

    Без user подтверждает суперпользователь (у него все права на записи импорта).
    """
    user = user or UserFactory(is_staff=True, is_superuser=True)
    job = import_job_make(data, name=name, mode=mode, create_missing=create_missing, user=user)
    services.import_run(job=job, dry_run=True, chunk_rows=chunk_rows)
    job.refresh_from_db()
    if job.status == "preview" and (mode == ImportMode.SKIP_INVALID or not job.rows_rejected):
        services.import_job_confirm(job=job, user=user, enqueue=False)
    else:
        job.status = "applying"
        job.confirmed_by = user
        job.save(update_fields=["status", "confirmed_by"])
    services.import_run(job=ImportJob.objects.get(pk=job.pk), dry_run=False, chunk_rows=chunk_rows)
    job.refresh_from_db()
    return job


def import_preview(data, *, name="catalog.xlsx", mode=ImportMode.ALL_OR_NOTHING, create_missing=False, user=None):
    """Принять и проверить файл пробным прогоном; вернуть задание (без user — от суперпользователя)."""
    user = user or UserFactory(is_staff=True, is_superuser=True)
    job = import_job_make(data, name=name, mode=mode, create_missing=create_missing, user=user)
    services.import_run(job=job, dry_run=True)
    job.refresh_from_db()
    return job
