"""Права API сотрудников: права Django через группы, для ключа API — ещё и в пределах его группы.

Правило каждого представления — ``required_permissions`` (см. core.permissions.StaffPermissions):
без него представление закрыто для всех, кроме суперпользователя. Проверка «есть ли право» для
сериализаторов и представлений (раскрыть персональные данные, показать кнопку) — staff_has_perm:
одна на сессию и на ключ API.
"""

from core.permissions import StaffPermissions, permissions_granted
from staffapi.api_keys import api_key_permission_codes
from staffapi.models import ApiKey


class _KeyScopedUser:
    """Пользователь, чьи права урезаны правами группы ключа API (пересечение)."""

    def __init__(self, user, codes):
        self._user = user
        self._codes = codes

    def has_perm(self, code):
        return code in self._codes and self._user.has_perm(code)


def _checker(request):
    """Объект с has_perm(code): сам пользователь или он же в пределах группы ключа API."""
    checker = getattr(request, "_staff_permission_checker", None)
    if checker is None:
        if isinstance(request.auth, ApiKey):
            checker = _KeyScopedUser(request.user, api_key_permission_codes(key=request.auth))
        else:
            checker = request.user
        request._staff_permission_checker = checker
    return checker


def staff_has_perm(request, item):
    """Есть ли у запроса право (строка) или хотя бы одно из прав (кортеж)."""
    user = request.user
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        return False
    return permissions_granted(_checker(request), item)


def staff_permission_codes(request):
    """Все коды прав запроса (для me/): права пользователя, для ключа — в пределах группы."""
    codes = request.user.get_all_permissions()
    if isinstance(request.auth, ApiKey):
        codes = codes & api_key_permission_codes(key=request.auth)
    return sorted(codes)


class StaffApiPermissions(StaffPermissions):
    """StaffPermissions, где для ключа API право должно быть и у владельца, и у группы ключа."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        required = getattr(view, "required_permissions", None)
        if isinstance(required, dict):
            required = required.get("GET" if request.method == "HEAD" else request.method)
        if required is None:
            # Суперпользователь с ключом API тоже ограничен группой ключа: правила нет — отказ.
            return user.is_superuser and not isinstance(request.auth, ApiKey)
        checker = _checker(request)
        return all(permissions_granted(checker, item) for item in required)
