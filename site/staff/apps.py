from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """Роли сотрудников: группы с правами, которые ставит миграция (roles.py)."""

    name = "staff"
    label = "staff"
    verbose_name = _("Роли сотрудников")
