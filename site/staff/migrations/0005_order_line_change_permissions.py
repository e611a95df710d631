"""Права на правки строк заказа (issue #16: состав заказа меняет 1С или сотрудник).

«Администратор» получает все права на новую модель, как на остальные модели магазина;
«Менеджер заказов» — просмотр: история правок видна в карточке заказа, сами правки идут
через сервис строк заказа, а не через форму модели.
"""

from django.db import migrations

from staff import roles

ROLES = {
    roles.ADMINISTRATOR: {
        "permissions": [f"orders.{action}_orderlinechange" for action in ("add", "change", "delete", "view")]
    },
    roles.ORDER_MANAGER: {"permissions": ["orders.view_orderlinechange"]},
}


def permissions_add(apps, schema_editor):
    roles.permissions_create(apps)
    roles.groups_ensure(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0004_oauth_settings_permissions"),
        ("orders", "0006_order_line_change"),
    ]

    operations = [migrations.RunPython(permissions_add, migrations.RunPython.noop)]
