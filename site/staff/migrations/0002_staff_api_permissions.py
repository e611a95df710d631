"""Права API сотрудников (issue #24): персональные данные покупателей, журнал действий, ключи API.

* ``accounts.view_customer_pii`` — видеть телефон, e-mail, имя и адреса покупателя в API
  сотрудников (каждое раскрытие пишется в журнал действий, 152-ФЗ). Получают «Менеджер заказов»
  (звонит покупателям) и «Администратор».
* «Администратор» получает все права staffapi: журнал действий, ключи API, регионы сотрудников.
"""

from django.db import migrations

from staff import roles

CUSTOM_PERMISSIONS = {
    "accounts.user.view_customer_pii": "Может видеть персональные данные покупателей",
}

ROLES = {
    roles.ORDER_MANAGER: {"permissions": ["accounts.view_customer_pii"]},
    roles.ADMINISTRATOR: {"permissions": ["accounts.view_customer_pii", "staffapi.*"]},
}


def permissions_add(apps, schema_editor):
    roles.permissions_create(apps)
    roles.custom_permissions_ensure(apps, CUSTOM_PERMISSIONS)
    roles.groups_ensure(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_staff_groups"),
        ("staffapi", "0001_staff_actions_api_keys_regions_notes"),
    ]

    operations = [migrations.RunPython(permissions_add, migrations.RunPython.noop)]
