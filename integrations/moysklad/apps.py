"""Приложение integrations.moysklad."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoyskladConfig(AppConfig):
    name = "integrations.moysklad"
    label = "integrations_moysklad"
    verbose_name = _("МойСклад")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Реестр систем ядра строится из установленных приложений: так МойСклад появляется
        # в списке систем админки и в ``manage.py integrations add`` без отдельной настройки.
        from integrations.core.registry import system_register
        from integrations.moysklad.system import MoyskladSystem

        system_register(MoyskladSystem)
