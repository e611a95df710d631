from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    # Метка «search» не пересекается с wagtail.search (его метка — «wagtailsearch»).
    name = "commerce.search"
    label = "search"
    verbose_name = _("Поиск")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Сигналы переиндексируют товар, когда меняются его варианты, атрибуты, бренд или
        # категория: modelsearch сам обновляет только строку изменённой модели.
        from commerce.search import signals  # noqa: F401
