"""Приложение integrations.erpnext."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ErpnextConfig(AppConfig):
    name = "integrations.erpnext"
    label = "integrations_erpnext"
    verbose_name = _("ERPNext")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Система попадает в реестр ядра здесь: список систем строится из установленных приложений.
        from integrations.core.registry import system_register
        from integrations.erpnext.system import ErpnextSystem

        system_register(ErpnextSystem)
