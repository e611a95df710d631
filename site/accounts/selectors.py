"""Чтение данных аккаунтов, общее для API и сервисов."""

from accounts.models import Address, User


def user_get_by_email(*, email):
    """Найти пользователя по e-mail без учёта регистра (e-mail уже нормализован) или вернуть None."""
    if not email:
        return None
    return User.objects.filter(email__iexact=email).first()


def user_get_by_phone(*, phone):
    """Найти пользователя по телефону в E.164 или вернуть None."""
    if not phone:
        return None
    return User.objects.filter(phone=phone).first()


def user_get_by_login(*, kind, value):
    """Найти пользователя по разобранному логину (``"email"`` или ``"phone"``)."""
    if kind == "email":
        return user_get_by_email(email=value)
    return user_get_by_phone(phone=value)


def address_list_for_user(*, user):
    """Адреса доставки пользователя: сначала адрес по умолчанию, затем новые."""
    return Address.objects.filter(user=user)
