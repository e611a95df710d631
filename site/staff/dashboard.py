"""Панели магазина на главной Wagtail admin: база с проверкой прав и регистрация в хуке.

Каждое приложение описывает свою панель у себя (commerce/<app>/admin_panels.py) и регистрирует
её через dashboard_panel_register — так сайт не знает о магазине, а панель видит только тот,
у кого есть хотя бы одно из её прав (Django model permissions, не is_staff).
"""

from wagtail import hooks
from wagtail.admin.ui.components import Component


class DashboardPanel(Component):
    """Панель главной админки, видимая только сотрудникам с одним из прав permissions.

    Подкласс задаёт name, order, template_name, permissions и get_context_data(parent_context).
    """

    name = ""
    order = 100
    permissions: tuple[str, ...] = ()

    def __init__(self, request):
        self.request = request

    @classmethod
    def is_shown_to(cls, user):
        """Видна ли панель пользователю: есть ли у него хотя бы одно из прав панели."""
        return any(user.has_perm(code) for code in cls.permissions)


def dashboard_panel_register(panel_class):
    """Зарегистрировать класс панели на главной админки (декоратор); вернуть его без изменений."""

    @hooks.register("construct_homepage_panels")
    def add_panel(request, panels):
        if panel_class.is_shown_to(request.user):
            panels.append(panel_class(request))

    panel_class.hook = add_panel
    return panel_class
