from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "commerce.orders"
    label = "orders"
    verbose_name = _("Заказы")
    default_auto_field = "django.db.models.BigAutoField"
