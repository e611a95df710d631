"""Фикстуры: задачи Celery выполняются сразу, SMS — в память, маленький магазин (tests/commerce/fixtures.py)."""

from tests.commerce.fixtures import _eager_tasks, shop, sms_outbox  # noqa: F401 — регистрация фикстур
