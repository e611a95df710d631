"""Приложение regions: регионы магазина, их определение по запросу и региональные деревья страниц."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Регионы")

    def ready(self):
        """Проверить настройки регионов при старте и подключить сброс кэша регионов.

        Неверный резолвер или режим дерева должен остановить запуск сразу с понятным
        сообщением, а не дать ошибку 500 на первом запросе посетителя.
        """
        from regions import conf, signals  # noqa: F401 — подключение обработчиков сигналов

        conf.validate_settings()
