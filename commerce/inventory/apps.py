from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "commerce.inventory"
    label = "inventory"
    verbose_name = _("Склады и остатки")
    default_auto_field = "django.db.models.BigAutoField"
