"""Команда seed_demo: идемпотентно наполнить базу демонстрационными данными."""

from django.core.management.base import BaseCommand

from config.demo import demo_seed, demo_seed_if_changed


class Command(BaseCommand):
    help = "Создать демонстрационные данные (повторный запуск ничего не дублирует)."

    def add_arguments(self, parser):
        """Описать флаги команды."""
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="Пропустить, если код демо, его настройки и миграции те же, что при прошлом наполнении (SQLite).",
        )

    def handle(self, *args, if_changed=False, **options):
        """Вызвать по порядку функции наполнения из MEGASHOP_DEMO_SEEDERS в одной транзакции."""
        if if_changed:
            _notes, seeded = demo_seed_if_changed(stdout=self.stdout)
            if not seeded:
                self.stdout.write("Демонстрационные данные не менялись с прошлого наполнения — пропущено.")
                return
        else:
            demo_seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Демонстрационные данные готовы."))
