"""Приложение integrations.amocrm."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmocrmConfig(AppConfig):
    name = "integrations.amocrm"
    label = "integrations_amocrm"
    verbose_name = _("amoCRM")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Система регистрируется в ready(): модуль system импортирует модели, а они готовы только здесь.
        from integrations.amocrm.system import AmocrmSystem
        from integrations.core.registry import system_register

        system_register(AmocrmSystem)
