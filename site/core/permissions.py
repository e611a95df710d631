"""Права DRF для служебных эндпоинтов: сотрудник и права Django, выданные через группы.

Одного is_staff мало: отметка «сотрудник» только пускает в админку, а что сотрудник может —
решают права моделей и собственные права (exchange.run_import и т. п.) его групп.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class StaffPermissions(BasePermission):
    """Пустить активного сотрудника, у которого есть все права из ``view.required_permissions``.

    ``required_permissions`` — список прав или словарь «метод → список» (HEAD проверяется как
    GET). Элемент списка — код права (``"exchange.run_import"``) или кортеж кодов: тогда хватит
    любого из них (``("exchange.run_import", "exchange.view_importjob")``). Представление без
    списка прав не открывается никому, кроме суперпользователя: забытое правило — отказ, а не
    доступ.
    """

    message = _("Недостаточно прав для этого действия.")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        required = getattr(view, "required_permissions", None)
        if isinstance(required, dict):
            required = required.get("GET" if request.method == "HEAD" else request.method)
        if required is None:
            return user.is_superuser
        return all(permissions_granted(user, item) for item in required)


def permissions_granted(user, item):
    """Проверить право (строка) или хотя бы одно из прав (кортеж)."""
    if isinstance(item, str):
        return user.has_perm(item)
    return any(user.has_perm(code) for code in item)
