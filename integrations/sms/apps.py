"""Приложение integrations.sms."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "integrations.sms"
    label = "sms"
    verbose_name = _("SMS-шлюзы")

    def ready(self):
        # Проверить настройки шлюза один раз при старте: ошибка в SMS_BACKEND или
        # недостающие учётные данные должны останавливать запуск, а не первую отправку кода.
        from core.sms import sms_backend_get

        sms_backend_get()
