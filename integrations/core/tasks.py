"""Задачи Celery ядра интеграций (очередь integrations, см. CELERY_TASK_ROUTES)."""

from celery import shared_task

from integrations.core.outbox import outbox_deliver_due
from integrations.core.webhooks import webhook_process_one


@shared_task(name="integrations.outbox_deliver", ignore_result=True)
def outbox_deliver():
    """Доставить события outbox, которые пора отправлять (ставится после COMMIT и по расписанию beat)."""
    return outbox_deliver_due()


@shared_task(name="integrations.webhook_process", ignore_result=True)
def webhook_process(inbound_id):
    """Обработать принятый входящий вебхук (повтор задачи безвреден: обработанный не трогается)."""
    webhook_process_one(inbound_id=inbound_id)
