"""Приложение integrations.onec."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsOnecConfig(AppConfig):
    name = "integrations.onec"
    label = "integrations_onec"
    verbose_name = _("Обмен с 1С")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from integrations.core.registry import system_register
        from integrations.onec.system import OnecSystem

        system_register(OnecSystem)
