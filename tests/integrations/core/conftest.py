"""Фикстуры ядра интеграций: магазин и задачи Celery в процессе (ключ секретов — в tests/integrations/conftest.py)."""

from tests.commerce.fixtures import _eager_tasks, shop, sms_outbox  # noqa: F401 — регистрация фикстур
