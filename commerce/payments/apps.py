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
        from commerce.payments.providers.registry import providers_validate

        providers_validate()
