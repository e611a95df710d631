"""Приложение payments."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "commerce.payments"
    label = "payments"
    verbose_name = _("Платежи")

    def ready(self):
        # Реестр провайдеров проверяется при старте: ошибка в PAYMENTS_PROVIDERS или
        # включённая ЮKassa без ключей останавливают запуск понятным сообщением,
        # а не первый платёж покупателя.
        from commerce.orders.payment_methods import payment_methods_source_register
        from commerce.payments.providers.registry import providers_validate
        from commerce.payments.selectors import payment_methods_enabled_for_region

        providers_validate()
        # Оформление заказа спрашивает способы оплаты региона через интерфейс заказов: импорт
        # платежей из заказов был бы циклом приложений (платежи сами зовут сервисы заказов).
        payment_methods_source_register(payment_methods_enabled_for_region)
