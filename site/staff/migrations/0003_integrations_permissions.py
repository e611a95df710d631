"""Права на интеграции для «Администратора» (issue #25: экран «Интеграции» в /manage/).

Администратор получает все права integrations_core: подключения, журнал синхронизаций,
доставки событий (в том числе «Повторить» — change_delivery) и входящие вебхуки.
"""

from django.db import migrations

from staff import roles

ROLES = {roles.ADMINISTRATOR: {"permissions": ["integrations_core.*"]}}


def permissions_add(apps, schema_editor):
    roles.permissions_create(apps)
    roles.groups_ensure(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0002_staff_api_permissions"),
        ("integrations_core", "0002_externalid_category_attribute"),
    ]

    operations = [migrations.RunPython(permissions_add, migrations.RunPython.noop)]
