"""Приложение config: команды уровня всего проекта (seed_demo)."""

from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Megashop"
