"""Журнал синхронизаций и сопоставление внешних id — общие для всех коннекторов."""

import logging

from django.db import transaction
from django.utils import timezone

from integrations.core.models import ExternalId, SyncDirection, SyncRun, SyncState

logger = logging.getLogger(__name__)


def sync_run(*, connection, full=False, dry_run=False, progress=None):
    """Выполнить синхронизацию системы подключения и записать её в журнал.

    Ошибка коннектора не теряется: запись получает итог «прервана» и текст ошибки,
    а исключение поднимается дальше.

    Returns:
        SyncRun — законченная запись журнала.
    """
    run = SyncRun.objects.create(connection=connection, direction=SyncDirection.PULL, full=full, dry_run=dry_run)
    try:
        connection.system_instance().sync(
            connection=connection, run=run, full=full, dry_run=dry_run, progress=progress or (lambda done, total: None)
        )
    except Exception as error:
        run.state = SyncState.FAILED
        run.errors = [*run.errors, {"object": "—", "message": f"{type(error).__name__}: {error}"}][
            : SyncRun.ERRORS_KEPT
        ]
        run.finished_at = timezone.now()
        run.save()
        raise
    run.state = SyncState.ERRORS if run.failed else SyncState.OK
    run.finished_at = timezone.now()
    run.save()
    return run


def external_id_get(*, connection, kind, external_id):
    """Вернуть наш id объекта по внешнему или None."""
    return (
        ExternalId.objects.filter(connection=connection, kind=kind, external_id=external_id)
        .values_list("object_id", flat=True)
        .first()
    )


def external_id_set(*, connection, kind, external_id, object_id):
    """Запомнить (или перезаписать) соответствие внешнего id нашему; повтор безвреден."""
    with transaction.atomic():
        mapping, _created = ExternalId.objects.update_or_create(
            connection=connection, kind=kind, external_id=str(external_id), defaults={"object_id": str(object_id)}
        )
    return mapping


def external_id_for_object(*, connection, kind, object_id):
    """Вернуть внешний id нашего объекта или None."""
    return (
        ExternalId.objects.filter(connection=connection, kind=kind, object_id=str(object_id))
        .values_list("external_id", flat=True)
        .first()
    )


def external_id_forget(*, connection, kind, object_id):
    """Забыть внешний id нашего объекта (объект удалили во внешней системе); вернуть, сколько записей удалено."""
    deleted, _details = ExternalId.objects.filter(connection=connection, kind=kind, object_id=str(object_id)).delete()
    return deleted


def connection_broken_notice(*, connection, obj, message, direction=SyncDirection.PULL):
    """Отметить подключение сломанным: запись «прервана» с понятной причиной в журнале синхронизаций.

    Панель «Интеграции» на главной админки показывает подключение с такой последней записью
    как «ошибки в последней синхронизации», а причину — в журнале. Секреты в ``message``
    класть нельзя: текст виден сотрудникам.

    Returns:
        SyncRun — созданная запись.
    """
    run = SyncRun.objects.create(
        connection=connection,
        direction=direction,
        state=SyncState.FAILED,
        finished_at=timezone.now(),
        errors=[{"object": str(obj), "message": str(message)}],
    )
    logger.error("%s: %s", connection.code, message)
    return run
