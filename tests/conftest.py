"""Общие фикстуры тестов Megashop.

Основной прогон идёт только против настоящих PostgreSQL и Redis: без них он останавливается
с понятным сообщением, а не подменяет их SQLite и кэшем в памяти. Второй прогон
(``MEGASHOP_TEST_EMBEDDED=1``, `make test-embedded`) проверяет встроенный вариант `make run`:
SQLite, кэш в памяти, Celery в режиме eager; тесты с маркерами ``postgres_only(reason=...)``
и ``redis_only(reason=...)`` в нём пропускаются с написанной на маркере причиной.
"""

import os

import pytest
from rest_framework.test import APIClient

EMBEDDED_SESSION = os.environ.get("MEGASHOP_TEST_EMBEDDED") == "1"

# Маркеры тестов, которым нужен настоящий сервис; причина обязательна и печатается при пропуске
# в прогоне встроенного варианта (SQLite, кэш в памяти, Celery в режиме eager).
SERVICE_MARKERS = {
    "postgres_only": "нужен PostgreSQL",
    "redis_only": "нужен Redis",
}

# Каталоги тестов, которые не зависят от базы и кэша магазина: они поднимают свои сервисы
# (кластер PostgreSQL установщика, база бенчмарка) или проверяют файлы. Во встроенном прогоне
# они дали бы тот же результат второй раз, поэтому идут только в основном.
SAME_ON_EVERY_BACKEND = {
    "installer": "установщик проверяет свои файлы и свой кластер PostgreSQL",
    "bench": "бенчмарк работает со своей базой PostgreSQL и своей базой Redis",
    "deploy": "проверяются файлы Dockerfile и docker-compose.yml",
    "scripts": "проверяется сценарий лицензий",
}
TESTS_ROOT = os.path.dirname(os.path.abspath(__file__))


def pytest_configure(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    cache_backend = settings.CACHES["default"]["BACKEND"].lower()
    problems = []
    if EMBEDDED_SESSION:
        # Второй прогон CI: встроенный вариант `make run` — тоже продукт, и он не должен ломаться молча.
        if "sqlite" not in engine:
            problems.append("MEGASHOP_TEST_EMBEDDED=1, но база не SQLite (уберите DATABASE_URL)")
        if "redis" in cache_backend:
            problems.append("MEGASHOP_TEST_EMBEDDED=1, но кэш — Redis (уберите REDIS_URL)")
    else:
        if "postgresql" not in engine:
            problems.append("DATABASE_URL не указывает на PostgreSQL")
        if "redis" not in cache_backend:
            problems.append("REDIS_URL не задан")
    if problems:
        pytest.exit(
            "Тесты Megashop идут против PostgreSQL и Redis (или, с MEGASHOP_TEST_EMBEDDED=1, против "
            "встроенного варианта): "
            + "; ".join(problems)
            + ". Запускайте `make test` (он поднимает сервисы и задаёт адреса) "
            "или задайте DATABASE_URL и REDIS_URL сами.",
            returncode=2,
        )


def pytest_collection_modifyitems(config, items):
    """Пропустить во встроенном прогоне тесты, помеченные как требующие сервиса, с их причиной."""
    for item in items:
        if EMBEDDED_SESSION:
            top = os.path.relpath(str(item.path), TESTS_ROOT).split(os.sep, 1)[0]
            if top in SAME_ON_EVERY_BACKEND:
                item.add_marker(pytest.mark.skip(reason=f"не зависит от базы магазина: {SAME_ON_EVERY_BACKEND[top]}"))
                continue
        for name, what in SERVICE_MARKERS.items():
            marker = item.get_closest_marker(name)
            if marker is None:
                continue
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            if not reason:
                raise pytest.UsageError(f"{item.nodeid}: у маркера {name} должна быть причина (reason=...)")
            if EMBEDDED_SESSION:
                item.add_marker(pytest.mark.skip(reason=f"{what}: {reason}"))


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
    if EMBEDDED_SESSION:
        pytest.skip("нужен Redis: настоящий воркер Celery берёт задачи из брокера Redis")
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
