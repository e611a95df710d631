"""Фикстуры обмена: каталог из общих фикстур коммерции, файлы заданий во временной папке."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Хранить загруженные и выгруженные файлы во временной папке теста."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


HEADER = [
    "sku",
    "barcode",
    "variant_name",
    "slug",
    "name",
    "category",
    "brand",
    "description",
    "attr:color",
    "price:base",
    "old_price:base",
    "stock:msk-1",
]


@pytest.fixture
def header():
    return list(HEADER)


@pytest.fixture
def celery_worker(settings):
    """Настоящий воркер, который слушает и очередь imports (туда идут задачи exchange.*)."""
    from tests.conftest import EMBEDDED_SESSION

    if EMBEDDED_SESSION:
        pytest.skip("нужен Redis: настоящий воркер Celery берёт задачи из брокера Redis")
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["default", "imports"]
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = previous_eager
