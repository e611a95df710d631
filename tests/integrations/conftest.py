"""Общие фикстуры тестов интеграций: ключ шифрования секретов, коллекция Wagtail, настоящий воркер Celery.

Фикстуры магазина (``tests.commerce.fixtures``) сюда не подключаются: тесты SMS-шлюзов обходятся
без них, а их автоматические фикстуры подменяют шлюз SMS. Коннекторы подключают их в своих conftest.
"""

import pytest
from cryptography.fernet import Fernet

TEST_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _secret_key(settings):
    """Ключ шифрования секретов подключений на время теста."""
    settings.INTEGRATIONS_SECRET_KEY = TEST_KEY
    return TEST_KEY


@pytest.fixture
def root_collection(db):
    """Корневая коллекция Wagtail для картинок (её создаёт миграция; транзакционные тесты очищают таблицы)."""
    from wagtail.models import Collection

    return Collection.get_first_root_node() or Collection.add_root(name="Root")


@pytest.fixture
def broker_mode(settings):
    """Ставить задачи в брокер Redis (их возьмёт настоящий воркер), а не выполнять в процессе теста."""
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def integrations_worker(broker_mode):
    """Настоящий воркер Celery в потоке, который слушает очереди default и integrations."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(
        app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["default", "integrations"]
    ) as worker:
        yield worker
