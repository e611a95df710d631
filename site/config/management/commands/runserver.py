"""runserver `make run`: подготовка базы демо одним процессом и блок «как войти» в самом конце вывода.

С флагом ``--demo`` (его передаёт `make run`) процесс-наблюдатель autoreload до запуска сервера
применяет миграции, если есть новые, и наполняет демо, если его код или миграции изменились
(config.demo.demo_seed_if_changed). Так повторный запуск не тратит два лишних старта Django
(`manage.py migrate` и `manage.py seed_demo`) и сигналы post_migrate, когда нечего делать.
Заметки наполнения (пароль, созданный только что) передаются дочернему процессу сервера
через его окружение — не через файл — и печатаются в блоке «как войти».
"""

import json
import os

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import autoreload
from django.utils.module_loading import import_string

from config.demo import demo_seed_if_changed
from config.paths import BASE_DIR
from manage_ui.bundle import bundle_index

RUN_NOTES_ENV = "MEGASHOP_RUN_NOTES"
# Журнал фоновой сборки React-админки `make run` (цель admin-ui-background в Makefile).
ADMIN_UI_BUILD_LOG = BASE_DIR / "var" / "admin-ui-build.log"
RULE = "─" * 60


def demo_summary(*, base_url, notes):
    """Вернуть строки блока «как войти»: админка, логин и пароль, API, где коды, строки приложений."""
    base_url = base_url.rstrip("/")
    # Сам пароль — только созданный этим запуском; иначе — где его взять.
    if notes.get("admin_password"):
        password = f"{notes['admin_password']} (создан сейчас; сохраните — больше не будет показан)"
    elif settings.MEGASHOP_SUPERUSER_PASSWORD:
        password = "из DJANGO_SUPERUSER_PASSWORD"  # noqa: S105 — подсказка, не пароль
    else:
        password = "показан при первом запуске; сменить — .venv/bin/python manage.py changepassword"  # noqa: S105
    manage_ui = f"{base_url}/manage/"
    if bundle_index() is None and ADMIN_UI_BUILD_LOG.exists():
        manage_ui += f" — собирается в фоне, журнал {ADMIN_UI_BUILD_LOG.relative_to(BASE_DIR)}"
    lines = [
        RULE,
        f"Админка:      {base_url}/admin/",
        f"React-админка: {manage_ui}",
        f"Логин:        {settings.MEGASHOP_SUPERUSER_USERNAME}",
        f"Пароль:       {password}",
    ]
    if notes.get("staff_password"):
        lines.append(f"Сотрудники:   {', '.join(notes['staff_logins'])} — пароль {notes['staff_password']}")
    lines += [
        f"API:          {base_url}/api/docs/",
        "Коды SMS и письма: печатаются здесь, в журнале сервера (строки «SMS для …» и письма целиком).",
    ]
    for dotted_path in settings.MEGASHOP_RUN_SUMMARY:
        lines += import_string(dotted_path)(base_url=base_url)
    return [*lines, RULE]


def migrate_if_needed(*, stdout):
    """Применить миграции, только если есть неприменённые (иначе migrate — лишние секунды сигналов)."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, stdout=stdout)


class Command(StaticfilesRunserver):
    def add_arguments(self, parser):
        """Добавить флаг --demo."""
        super().add_arguments(parser)
        parser.add_argument(
            "--demo",
            action="store_true",
            help="До запуска применить новые миграции и наполнить демо, если оно изменилось (make run).",
        )

    def handle(self, *args, **options):
        """С --demo подготовить базу — один раз, в наблюдателе autoreload, а не при каждой перезагрузке."""
        if options["demo"] and os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) != "true":
            # Поток, а не OutputWrapper: migrate пишет «Applying …» и « OK» одной строкой (ending="").
            migrate_if_needed(stdout=self.stdout._out)
            notes, seeded = demo_seed_if_changed(stdout=self.stdout)
            if not seeded:
                self.stdout.write("Демо-данные не менялись с прошлого запуска — наполнение пропущено.")
            os.environ[RUN_NOTES_ENV] = json.dumps(notes)
            connection.close()
        super().handle(*args, **options)

    def on_bind(self, server_port):
        """Напечатать стандартные строки runserver, затем блок «как войти» — последним."""
        super().on_bind(server_port)
        host = "127.0.0.1" if self.addr in ("0", "0.0.0.0") else self.addr  # noqa: S104 — адрес прослушивания, не привязка
        if self._raw_ipv6:
            host = f"[{self.addr}]"
        notes = json.loads(os.environ.get(RUN_NOTES_ENV) or "{}")
        for line in demo_summary(base_url=f"{self.protocol}://{host}:{server_port}", notes=notes):
            self.stdout.write(line)
        # Вывод в файл или канал буферизуется: без flush блок мог бы оказаться после журнала запросов.
        self.stdout.flush()
