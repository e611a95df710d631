"""Приложение accounts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Аккаунты")

    def ready(self):
        # Приёмники сигналов входа (счётчики неудач HTML-админок) регистрируются импортом модуля.
        from accounts import admin_login  # noqa: F401
