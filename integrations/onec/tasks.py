"""Задачи Celery обмена с 1С (очередь integrations: CELERY_TASK_ROUTES «integrations.*»)."""

from celery import shared_task

from integrations.onec.jobs import import_run


@shared_task(name="integrations.onec_import", ignore_result=True)
def onec_import(import_id):
    """Загрузить файл сессии обмена (mode=import) и записать итог; повтор для законченной — ничего."""
    import_run(import_id=import_id)
