"""Фикстуры API сотрудников: сотрудники в группах ролей, клиент с сессией и CSRF, заказы."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from staff import roles
from tests.commerce.fixtures import catalog, regions  # noqa: F401 — регистрация фикстур
from tests.factories.accounts import UserFactory
from tests.factories.orders import OrderFactory, OrderLineFactory

BASE = "/api/admin/v1/"
PASSWORD = "Secret-Passw0rd!"
SHIPPED_GROUPS = (roles.CONTENT_EDITOR, roles.ORDER_MANAGER, roles.MERCHANDISER, roles.ADMINISTRATOR)


def staff_in_group(group_name, **fields):
    """Создать сотрудника без суперправ в группе роли, поставленной миграцией."""
    user = UserFactory(**{"is_staff": True, "is_superuser": False, **fields})
    user.groups.add(Group.objects.get(name=group_name))
    return user


def session_client(user):
    """Клиент с сессией сотрудника, проверкой CSRF (как в браузере) и заголовком X-CSRFToken."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    token = client.get(f"{BASE}auth/csrf/").json()["csrf_token"]
    client.credentials(HTTP_X_CSRFTOKEN=token)
    return client


@pytest.fixture
def manager():
    return staff_in_group(roles.ORDER_MANAGER)


@pytest.fixture
def manager_client(manager):
    return session_client(manager)


@pytest.fixture
def orders(regions):  # noqa: F811 — фикстура regions из tests.commerce.fixtures
    """Три заказа: два в Москве (новый и оплаченный), один в Петербурге."""
    world = regions
    world.customer = UserFactory(first_name="Анна", last_name="Смирнова", phone="+79035556677")
    world.msk_new = OrderFactory(region=world.msk, contact_email="a@example.ru", user=world.customer)
    world.msk_paid = OrderFactory(region=world.msk, status="paid", contact_phone="+79031112233")
    world.spb_new = OrderFactory(region=world.spb)
    for order in (world.msk_new, world.msk_paid, world.spb_new):
        OrderLineFactory(order=order)
    return world
