"""Задачи Celery ядра интеграций (очередь integrations, см. CELERY_TASK_ROUTES)."""

from celery import shared_task


@shared_task(name="integrations.outbox_deliver", ignore_result=True)
def outbox_deliver():
    """Доставить события outbox, которые пора отправлять (ставится после COMMIT и по расписанию beat)."""
    from integrations.core.outbox import outbox_deliver_due

    return outbox_deliver_due()


@shared_task(name="integrations.webhook_process", ignore_result=True)
def webhook_process(inbound_id):
    """Обработать принятый входящий вебхук (повтор задачи безвреден: обработанный не трогается)."""
    from integrations.core.webhooks import webhook_process_one

    webhook_process_one(inbound_id=inbound_id)
