"""Команда seed_demo: идемпотентно наполнить базу демонстрационными данными."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Создать демонстрационные данные (повторный запуск ничего не дублирует)."

    def handle(self, *args, **options):
        """Вызвать по порядку функции наполнения из MEGASHOP_DEMO_SEEDERS в одной транзакции."""
        with transaction.atomic():
            for dotted_path in settings.MEGASHOP_DEMO_SEEDERS:
                seeder = import_string(dotted_path)
                seeder(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Демонстрационные данные готовы."))
