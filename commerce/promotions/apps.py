from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "commerce.promotions"
    label = "promotions"
    verbose_name = _("Акции")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Каталог показывает цены со скидкой, но не импортирует акции: акции сами читают каталог
        # (категории, бренды, атрибуты), и прямой импорт в обе стороны был бы циклом приложений
        # (контракт import-linter). Поэтому каталог даёт точку расширения, а мы её заполняем.
        from commerce.catalog import price_hooks
        from commerce.promotions import catalog_prices, signals  # noqa: F401 — регистрирует обработчики

        price_hooks.price_adjuster_register(catalog_prices.CatalogPromotionAdjuster())
