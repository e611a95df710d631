from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "commerce.orders"
    label = "orders"
    verbose_name = _("Заказы")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Условие акций «только на первый заказ»: акции не импортируют заказы (заказы сами зовут
        # акции при оформлении, обратный импорт — цикл приложений), поэтому подсчёт заказов
        # покупателя регистрируется здесь.
        from commerce.orders.selectors import customer_order_count
        from commerce.promotions.customers import order_count_provider_register

        order_count_provider_register(customer_order_count)
