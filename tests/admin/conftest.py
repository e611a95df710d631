"""Фикстуры тестов админки: каталог и магазин из тестов коммерции, клиенты с ролями."""

import pytest
from django.contrib.auth.models import Group

from tests.commerce.fixtures import _eager_tasks, catalog, regions, shop, sms_outbox  # noqa: F401 — фикстуры магазина
from tests.factories.accounts import UserFactory


def role_user(role, **fields):
    """Создать сотрудника в группе роли (группы ставят миграции staff)."""
    user = UserFactory(**{"is_staff": True, "is_superuser": False, **fields})
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def superuser_client(client):
    """Клиент, вошедший суперпользователем."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client
