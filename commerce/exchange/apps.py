from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Обмен каталогом одним файлом: импорт и экспорт XLSX/CSV."""

    name = "commerce.exchange"
    label = "exchange"
    verbose_name = _("Импорт и экспорт каталога")
    default_auto_field = "django.db.models.BigAutoField"
