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
