"""Права на настройки входа через соцсети (issue #28): провайдеры по регионам и адреса возврата.

Получает только «Администратор»: client id, секреты и адреса возврата решают, куда уходит
покупатель при входе, — это настройка магазина, а не работа с заказами или контентом.
"""

from django.db import migrations

from staff import roles

ROLES = {
    roles.ADMINISTRATOR: {
        "permissions": [
            f"accounts_oauth.{action}_{model}"
            for model in ("oauthprovidersetting", "oauthredirecturi")
            for action in ("add", "change", "delete", "view")
        ]
    },
}


def permissions_add(apps, schema_editor):
    roles.permissions_create(apps)
    roles.groups_ensure(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0003_integrations_permissions"),
        ("accounts_oauth", "0002_provider_settings_redirect_uris"),
    ]

    operations = [migrations.RunPython(permissions_add, migrations.RunPython.noop)]
