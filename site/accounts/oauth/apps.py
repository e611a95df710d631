"""Приложение входа через соцсети."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OAuthConfig(AppConfig):
    name = "accounts.oauth"
    label = "accounts_oauth"
    verbose_name = _("Вход через соцсети")

    def ready(self):
        # Включённый провайдер без ключей — ошибка настройки: остановить запуск с понятным текстом,
        # а не отвечать покупателю непонятной ошибкой у кнопки входа.
        from accounts.oauth import receivers  # noqa: F401 — регистрация приёмников сигналов
        from accounts.oauth.providers import providers_settings_check

        providers_settings_check()
