"""Демонстрационные данные уровня сайта и общий прогон функций наполнения `seed_demo`.

Функции наполнения — MEGASHOP_DEMO_SEEDERS, по порядку, в одной транзакции. Функция может
вернуть словарь заметок для блока «как войти» (например, пароль, созданный только что):
`make run` печатает их в конце вывода, а не за сотни строк до него.

Повторный `make run` не гоняет наполнение заново, если ничего не изменилось: отпечаток
(исходники функций наполнения, их настройки и применённые миграции) хранится в самой базе
SQLite (`PRAGMA user_version` — число в заголовке файла, свободное для приложения). Удалили
базу — удалился и отпечаток; поменяли код демо или миграции — отпечаток другой. На PostgreSQL
отпечатка нет, и наполнение идёт всегда (оно идемпотентно, просто дольше).
"""

import contextlib
import hashlib
import inspect
import logging
import sys

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.module_loading import import_string
from wagtail.models import Site


def seed_site_name(*, stdout):
    """Назвать сайт Wagtail по умолчанию именем магазина."""
    site = Site.objects.filter(is_default_site=True).first()
    if site and site.site_name != settings.WAGTAIL_SITE_NAME:
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save(update_fields=["site_name"])
        stdout.write(f"Сайт Wagtail назван «{site.site_name}».")


# Журналы, которые наполнение заполняет сотнями строк: каждая созданная страница Wagtail, каждое
# SMS демо-заказов. Итог каждого шага функция наполнения печатает сама, одной строкой.
QUIET_WHILE_SEEDING = {"wagtail": logging.WARNING, "core.sms": logging.WARNING, "integrations.sms": logging.ERROR}


@contextlib.contextmanager
def _quiet_logs():
    loggers = {logging.getLogger(name): level for name, level in QUIET_WHILE_SEEDING.items()}
    previous = {logger: logger.level for logger in loggers}
    for logger, level in loggers.items():
        logger.setLevel(max(level, logger.getEffectiveLevel()))
    try:
        yield
    finally:
        for logger, level in previous.items():
            logger.setLevel(level)


def demo_seed(*, stdout):
    """Выполнить все функции наполнения в одной транзакции и вернуть их заметки одним словарём."""
    notes = {}
    with _quiet_logs(), transaction.atomic():
        for dotted_path in settings.MEGASHOP_DEMO_SEEDERS:
            notes.update(import_string(dotted_path)(stdout=stdout) or {})
        _fingerprint_store(demo_fingerprint())
    return notes


def demo_seed_if_changed(*, stdout):
    """Выполнить наполнение, если отпечаток в базе не совпадает с текущим; вернуть заметки и было ли оно.

    Returns:
        tuple (заметки, True — наполнение выполнено; False — пропущено, всё как в прошлый раз).
    """
    if _fingerprint_stored() == demo_fingerprint():
        return {}, False
    return demo_seed(stdout=stdout), True


def demo_fingerprint():
    """Вернуть отпечаток демо: исходники функций наполнения, их настройки, применённые миграции.

    Число в 31 бит — столько вмещает `PRAGMA user_version` (знаковое 32-битное, 0 — «нет»).
    """
    digest = hashlib.sha256()
    for dotted_path in settings.MEGASHOP_DEMO_SEEDERS:
        module = sys.modules[import_string(dotted_path).__module__]
        digest.update(dotted_path.encode())
        digest.update(inspect.getsource(module).encode())
    for name in ("MEGASHOP_DEMO_PRODUCTS", "MEGASHOP_SUPERUSER_USERNAME", "LANGUAGE_CODE"):
        digest.update(f"{name}={getattr(settings, name)!r}".encode())
    applied = MigrationRecorder(connection).applied_migrations()
    digest.update(repr(sorted(applied)).encode())
    return int.from_bytes(digest.digest()[:4], "big") & 0x7FFFFFFF or 1


def _fingerprint_stored():
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA user_version")
        return cursor.fetchone()[0]


def _fingerprint_store(value):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # PRAGMA не принимает параметров; значение — наше целое число.
            cursor.execute(f"PRAGMA user_version = {int(value)}")
