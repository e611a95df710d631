from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "commerce.catalog"
    label = "catalog"
    verbose_name = _("Каталог")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Сигналы подключаются здесь: они сбрасывают кэш каталога и пересчитывают
        # денормализованные поля при любом изменении, в том числе из админок.
        from commerce.catalog import cdn, signals  # noqa: F401
