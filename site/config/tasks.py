"""Периодические задачи уровня проекта (расписание — CELERY_BEAT_SCHEDULE в настройках)."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="config.tasks.pages_publish_scheduled")
def pages_publish_scheduled():
    """Опубликовать и снять с публикации страницы Wagtail, чьё время наступило.

    Отложенная публикация в Wagtail работает только через команду publish_scheduled;
    задача идемпотентна — повторный запуск ничего не меняет.
    """
    call_command("publish_scheduled")


@shared_task(name="config.tasks.jwt_expired_tokens_flush")
def jwt_expired_tokens_flush():
    """Удалить из чёрного списка JWT истёкшие refresh-токены (они и так недействительны)."""
    call_command("flushexpiredtokens")
