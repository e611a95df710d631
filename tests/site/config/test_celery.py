"""Приложение Celery: задачи идут через Redis к настоящему воркеру."""

import pytest
from django.conf import settings

from config.celery import app


@app.task(name="tests.add_user")
def add_user_task(username):
    """Тестовая задача: создать пользователя (проверяет, что воркер видит базу)."""
    from accounts.models import User

    return User.objects.create(username=username).pk


@pytest.mark.redis_only(reason="основной прогон проверяет брокер Redis; во встроенном варианте задачи eager")
def test_broker_is_redis_in_tests():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert app.conf.task_always_eager is False


@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_worker_through_redis(celery_worker):
    from accounts.models import User

    # when: задача ставится в очередь Redis и выполняется воркером
    result = add_user_task.delay("from-worker")

    # then
    user_id = result.get(timeout=20)
    assert User.objects.get(pk=user_id).username == "from-worker"


def test_tasks_are_autodiscovered_from_installed_apps():
    app.loader.import_default_modules()
    assert "celery.backend_cleanup" in app.tasks
