"""Выполнение загрузки файла 1С в фоне: состояние задания, ход для ответа ``progress``, журнал."""

import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.core.models import SyncRun, SyncState
from integrations.onec.importer import catalog_file_import
from integrations.onec.models import ExchangeImport, ExchangeSession, ExchangeType, ImportState
from integrations.onec.orders import documents_apply
from integrations.onec.parser import CommerceMLError
from integrations.onec.services import ExchangeError, run_finish, session_folder

logger = logging.getLogger(__name__)


def progress_key(import_id):
    return f"onec:import:{import_id}:progress"


def progress_get(import_id):
    """Текст хода загрузки (пишется в кэш: запись в базе внутри транзакции загрузки не видна)."""
    return cache.get(progress_key(import_id)) or ""


def import_run(*, import_id):
    """Загрузить файл задания: каталог или документы заказов; итог — в задание и журнал сессии."""
    with transaction.atomic():
        job = ExchangeImport.objects.select_for_update().filter(pk=import_id).first()
        if job is None or job.state != ImportState.QUEUED:
            return
        job.state = ImportState.RUNNING
        job.save(update_fields=["state"])
    session = ExchangeSession.objects.select_related("connection").get(pk=job.session_id)
    run = SyncRun.objects.get(pk=session.sync_run_id)
    before = {name: getattr(run, name) for name in ("created", "updated", "unchanged", "skipped", "failed")}
    folder = session_folder(session)
    path = folder / job.filename

    def progress(message):
        cache.set(progress_key(job.pk), message, timeout=3600)

    try:
        if session.type == ExchangeType.CATALOG:
            catalog_file_import(connection=session.connection, run=run, path=path, folder=folder, progress=progress)
        else:
            documents_apply(connection=session.connection, run=run, path=path, folder=folder)
    except (CommerceMLError, ExchangeError) as error:
        run = SyncRun.objects.get(pk=run.pk)  # счётчики откаченной транзакции не в счёт
        run.state = SyncState.FAILED
        run.error_add(obj=job.filename, message=str(error))
        run_finish(run)
        job.state, job.error = ImportState.FAILED, str(error)
    except Exception as error:
        logger.exception("1С: загрузка %s упала", job.filename)
        run = SyncRun.objects.get(pk=run.pk)
        run.state = SyncState.FAILED
        run.error_add(obj=job.filename, message=f"{type(error).__name__}: {error}")
        run_finish(run)
        job.state = ImportState.FAILED
        job.error = _("Внутренняя ошибка загрузки файла %(name)s; подробности — в журнале сайта.") % {
            "name": job.filename
        }
    else:
        run_finish(run)
        job.state = ImportState.OK
        job.counts = {name: getattr(run, name) - value for name, value in before.items()}
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "counts", "finished_at"])
