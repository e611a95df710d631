"""Демонстрационные сотрудники: по одному на каждую роль, чтобы увидеть админку глазами роли."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from staff.roles import ADMINISTRATOR, CONTENT_EDITOR, MERCHANDISER, ORDER_MANAGER

# логин → группа
DEMO_STAFF = {
    "editor": CONTENT_EDITOR,
    "orders": ORDER_MANAGER,
    "merch": MERCHANDISER,
    "manager": ADMINISTRATOR,
}


def seed_staff_users(*, stdout):
    """Создать сотрудников демо с общим случайным паролем и напечатать его один раз.

    Пароль генерируется при каждом первом создании и нигде не хранится открытым: повторный
    запуск пользователей не трогает и пароль не печатает.

    Returns:
        {"staff_logins": [...], "staff_password": пароль} для блока «как войти» `make run`
        или пустой словарь, если все сотрудники уже были.
    """
    user_model = get_user_model()
    missing = {
        login: group for login, group in DEMO_STAFF.items() if not user_model.objects.filter(username=login).exists()
    }
    if not missing:
        return {}
    password = secrets.token_urlsafe(12)
    for login, group_name in missing.items():
        user = user_model.objects.create_user(
            username=login, email=f"{login}@example.ru", password=password, is_staff=True
        )
        user.groups.add(Group.objects.get(name=group_name))
    logins = ", ".join(f"«{login}» ({group})" for login, group in missing.items())
    stdout.write(f"Сотрудники демо: {logins}, пароль {password}. Он не будет показан снова.")
    return {"staff_logins": list(missing), "staff_password": password}
