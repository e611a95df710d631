from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffApiConfig(AppConfig):
    """API сотрудников /api/admin/v1/: ключи API, ограничение по регионам, журнал действий."""

    name = "staffapi"
    label = "staffapi"
    verbose_name = _("API сотрудников")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Схемы аутентификации для drf-spectacular регистрируются при импорте модуля.
        from staffapi import schema  # noqa: F401
