"""Демонстрационные данные аккаунтов: суперпользователь для входа в админку."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model


def seed_admin_user(*, stdout):
    """Создать суперпользователя, если его ещё нет, и сказать, как войти.

    Пароль берётся из DJANGO_SUPERUSER_PASSWORD; без него генерируется и печатается
    один раз — при повторном запуске существующий пароль не меняется и не печатается.

    Returns:
        {"admin_password": пароль} — только что созданный пароль для блока «как войти» `make run`;
        пустой словарь, если пользователь уже был или пароль задан переменной окружения.
    """
    user_model = get_user_model()
    username = settings.MEGASHOP_SUPERUSER_USERNAME
    if user_model.objects.filter(username=username).exists():
        stdout.write(f"Админка: /admin/ — пользователь «{username}» уже есть, пароль прежний.")
        return {}
    password = settings.MEGASHOP_SUPERUSER_PASSWORD or secrets.token_urlsafe(12)
    user_model.objects.create_superuser(username=username, email=settings.MEGASHOP_SUPERUSER_EMAIL, password=password)
    shown = password if not settings.MEGASHOP_SUPERUSER_PASSWORD else "(из DJANGO_SUPERUSER_PASSWORD)"
    stdout.write(
        f"Админка: /admin/ — пользователь «{username}», пароль {shown}. Сохраните его: он не будет показан снова."
    )
    return {} if settings.MEGASHOP_SUPERUSER_PASSWORD else {"admin_password": password}
