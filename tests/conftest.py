"""Общие фикстуры тестов Megashop.

Тесты идут только против настоящих PostgreSQL и Redis: без них прогон останавливается
с понятным сообщением, а не подменяет их SQLite и кэшем в памяти.
"""

import pytest
from rest_framework.test import APIClient


def pytest_configure(config):
    from django.conf import settings

    problems = []
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        problems.append("DATABASE_URL не указывает на PostgreSQL")
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        problems.append("REDIS_URL не задан")
    if problems:
        pytest.exit(
            "Тесты Megashop идут против PostgreSQL и Redis: "
            + "; ".join(problems)
            + ". Запускайте `make test` (он поднимает сервисы и задаёт адреса) "
            "или задайте DATABASE_URL и REDIS_URL сами.",
            returncode=2,
        )


@pytest.fixture(autouse=True)
def _clean_cache():
    """Очистить кэш (базу Redis этого процесса) до и после каждого теста."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    """Клиент DRF для запросов к API."""
    return APIClient()


@pytest.fixture
def celery_worker(settings):
    """Запустить настоящий воркер Celery (брокер — тестовый Redis) на время теста.

    Воркер работает в потоке этого процесса и берёт задачи из Redis, как в production;
    задачи ставятся без режима eager. Тесты, которым он нужен, помечают базу
    ``django_db(transaction=True)``: воркер видит только закоммиченные данные.
    """
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = previous_eager


@pytest.fixture(autouse=True)
def _wagtail_locale_after_flush(request):
    """Вернуть язык по умолчанию Wagtail в транзакционных тестах.

    Транзакционный тест очищает базу целиком, вместе с Locale, который создают миграции
    Wagtail; следующему такому тесту (например, с настоящим воркером Celery) он нужен.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.conf import settings
    from wagtail.models import Locale

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    yield
