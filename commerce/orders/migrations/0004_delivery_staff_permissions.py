"""Права на способы доставки и пункты самовывоза: всё — Администратору, просмотр — Менеджеру заказов.

Только добавляет (staff.roles.groups_ensure): права, выданные администратором вручную, не снимаются.
"""

from django.db import migrations

from staff import roles

ACTIONS = ("add", "change", "delete", "view")
MODELS = ("regiondeliverymethod", "pickuppoint")

ROLES = {
    roles.ADMINISTRATOR: {"permissions": [f"orders.{action}_{model}" for model in MODELS for action in ACTIONS]},
    roles.ORDER_MANAGER: {"permissions": [f"orders.view_{model}" for model in MODELS]},
}


def permissions_grant(apps, schema_editor):
    roles.permissions_create(apps)
    roles.groups_ensure(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_region_delivery_methods_pickup_points"),
        ("staff", "0001_staff_groups"),
    ]

    operations = [migrations.RunPython(permissions_grant, migrations.RunPython.noop)]
