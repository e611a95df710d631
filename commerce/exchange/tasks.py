"""Задачи Celery обмена: проверка (пробный прогон), применение импорта, экспорт.

Задачи идемпотентны по состоянию задания: повтор уже завершённого задания ничего не делает.
Все задачи с именем exchange.* идут в очередь imports (CELERY_TASK_ROUTES в настройках), чтобы
прогон на 250 тыс. строк не задерживал письма и обмен с внешними системами: её слушает
отдельный воркер (`celery -A config worker -Q imports`) или общий с `-Q default,imports`.
Переиндексация поиска после импорта — задача поиска, она идёт в очередь по умолчанию.
"""

from celery import shared_task

from commerce.exchange import export, services
from commerce.exchange.models import ExportJob, ExportStatus, ImportJob, ImportStatus


@shared_task(name="exchange.import_validate")
def import_validate_task(job_id):
    """Проверить файл импорта пробным прогоном (ничего не пишет)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.status not in (ImportStatus.UPLOADED, ImportStatus.VALIDATING):
        return None
    report = services.import_run(job=job, dry_run=True)
    return None if report is None else report.counts


@shared_task(name="exchange.import_apply")
def import_apply_task(job_id):
    """Применить подтверждённый импорт."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.APPLYING:
        return None
    report = services.import_run(job=job, dry_run=False)
    return None if report is None else report.counts


@shared_task(name="exchange.export")
def export_task(job_id):
    """Выгрузить каталог в файл задания."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None or job.status == ExportStatus.DONE:
        return None
    export.export_run(job=job)
    return job.rows_total
