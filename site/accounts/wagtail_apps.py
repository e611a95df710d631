"""AppConfig раздела пользователей Wagtail с нашим набором представлений.

Wagtail позволяет заменить свой раздел пользователей только через AppConfig приложения
wagtail.users (атрибут ``user_viewset``), поэтому в INSTALLED_APPS вместо ``wagtail.users``
стоит :class:`MegashopUsersAppConfig`. Модуль лёгкий: он импортируется до загрузки моделей.
"""

from wagtail.users.apps import WagtailUsersAppConfig


class MegashopUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "accounts.wagtail_users.MegashopUserViewSet"
