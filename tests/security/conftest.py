"""Фикстуры проверок безопасности: каталог из фикстур коммерции, Celery сразу, файлы во временной папке."""

import pytest

from tests.commerce.fixtures import catalog, regions  # noqa: F401 — регистрация фикстур
from tests.site.accounts.conftest import sms_outbox  # noqa: F401 — SMS в память (autouse)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Хранить загруженные и выгруженные файлы во временной папке теста."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def eager_celery():
    """Выполнять задачи Celery сразу (пробный прогон и применение импорта — в том же процессе)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
