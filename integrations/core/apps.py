"""Приложение integrations.core."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsCoreConfig(AppConfig):
    name = "integrations.core"
    label = "integrations_core"
    verbose_name = _("Интеграции")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Реестр систем заполняется здесь, а не при импорте моделей: список выбора системы
        # в подключении строится из реестра, а коннекторы регистрируются в своих ready().
        from integrations.core import receivers  # noqa: F401 — подписка на события магазина
        from integrations.core.registry import system_register
        from integrations.core.systems.webhook import WebhookSystem

        system_register(WebhookSystem)
