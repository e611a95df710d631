"""Приложение api: только проводка, без бизнес-логики."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        # Публикация и снятие страниц сбрасывают ответы Wagtail API в CDN (ключ content).
        from core import cdn_signals  # noqa: F401
