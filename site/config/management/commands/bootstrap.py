"""Команда bootstrap: подготовить базу нового или обновлённого сервера одной идемпотентной командой."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import seed_admin_user
from config.demo import seed_site_name


class Command(BaseCommand):
    help = (
        "Применить миграции (роли сотрудников, сайт Wagtail), назвать сайт, создать суперпользователя, "
        "если его нет, и по --demo загрузить демо-данные. Повторный запуск ничего не меняет."
    )

    def add_arguments(self, parser):
        """Описать флаги команды."""
        parser.add_argument("--demo", action="store_true", help="Загрузить демонстрационные данные (seed_demo).")

    def handle(self, *args, demo=False, **options):
        """Выполнить миграции, затем шаги наполнения в одной транзакции."""
        call_command("migrate", interactive=False, verbosity=max(options["verbosity"] - 1, 0), stdout=self.stdout)
        with transaction.atomic():
            seed_site_name(stdout=self.stdout)
            if not get_user_model().objects.filter(is_superuser=True).exists():
                seed_admin_user(stdout=self.stdout)
            self._admin_phone()
        if demo:
            call_command("seed_demo", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Сервер готов к работе."))

    def _admin_phone(self):
        """Записать телефон администратора из MEGASHOP_ADMIN_PHONE, если у него телефона ещё нет."""
        phone = settings.MEGASHOP_ADMIN_PHONE
        if not phone:
            return
        user_model = get_user_model()
        admin = user_model.objects.filter(username=settings.MEGASHOP_SUPERUSER_USERNAME, phone__isnull=True).first()
        if admin and not user_model.objects.filter(phone=phone).exists():
            admin.phone = phone
            admin.save(update_fields=["phone"])
