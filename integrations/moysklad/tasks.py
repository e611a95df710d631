"""Задачи Celery МоегоСклада (очередь integrations: CELERY_TASK_ROUTES «integrations.*»)."""

from celery import shared_task

from integrations.moysklad.services import connections_sync


@shared_task(name="integrations.moysklad_sync", ignore_result=True)
def moysklad_sync(full=False):
    """Синхронизировать каталог всех включённых подключений МоегоСклада (по расписанию beat).

    Повтор безвреден: проход идемпотентен, а два прохода одного подключения одновременно
    не идут (блокировка в кэше на время прохода).
    """
    connections_sync(full=full)
