"""Просмотр сделок amoCRM ролям сотрудников (issue #18).

* «Менеджер заказов» — видит этап и ответственного менеджера сделки по заказу: звонит
  покупателям и сверяет заказ со сделкой;
* «Администратор» — то же (настраивает подключение и проверяет, что сделки приходят).

Менять записи сделок не может никто: их пишут только вебхуки и синхронизация
(политика прав «только просмотр» в wagtail_hooks).
"""

from django.db import migrations

from staff import roles

ROLES = {
    roles.ORDER_MANAGER: {"permissions": ["integrations_amocrm.view_amodeal"]},
    roles.ADMINISTRATOR: {"permissions": ["integrations_amocrm.view_amodeal"]},
}


def permissions_add(apps, schema_editor):
    roles.permissions_create(apps)
    roles.groups_ensure(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("integrations_amocrm", "0001_amo_deal"),
        ("staff", "0001_staff_groups"),
    ]

    operations = [migrations.RunPython(permissions_add, migrations.RunPython.noop)]
