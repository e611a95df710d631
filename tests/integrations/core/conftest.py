"""Фикстуры ядра интеграций: ключ шифрования, задачи Celery в процессе."""

import pytest
from cryptography.fernet import Fernet

from tests.commerce.fixtures import _eager_tasks, shop, sms_outbox  # noqa: F401 — регистрация фикстур

TEST_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _secret_key(settings):
    """Ключ шифрования секретов подключений на время теста."""
    settings.INTEGRATIONS_SECRET_KEY = TEST_KEY
    return TEST_KEY
