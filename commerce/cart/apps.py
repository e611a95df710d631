from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CartConfig(AppConfig):
    name = "commerce.cart"
    label = "cart"
    verbose_name = _("Корзины")
    default_auto_field = "django.db.models.BigAutoField"
