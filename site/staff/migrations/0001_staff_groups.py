"""Группы ролей сотрудников: Контент-редактор, Менеджер заказов, Товаровед, Администратор.

Идемпотентна (только добавляет группы и права) и одинакова для PostgreSQL и SQLite: работает
через ORM с историческим реестром. Зависит от миграций, которые заводят нужные модели и
собственные права (exchange 0002, orders 0002, search 0007, payments 0003), и от Wagtail:
право доступа в админку, корневая страница и корневая коллекция.
"""

from django.db import migrations

from staff import roles

ACCESS_ADMIN = "wagtailadmin.access_admin"

# Магазинные приложения: их права целиком получает «Администратор».
SHOP_APPS = ("catalog", "pricing", "inventory", "exchange", "search", "cart", "orders", "payments", "regions")

MODEL_ACTIONS = ("add", "change", "delete", "view")

CONTENT = {
    "permissions": [
        ACCESS_ADMIN,
        # Авторы и рубрики блога — сниппеты; статьи и новости — страницы (page_permissions).
        *(f"blog.{action}_{model}" for model in ("blogauthor", "blogcategory") for action in MODEL_ACTIONS),
        # Окно выбора товара для карточек в статьях.
        "catalog.view_product",
    ],
    "page_permissions": ["add", "change", "publish", "lock", "unlock"],
    "collection_permissions": [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.delete_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.delete_document",
        "wagtaildocs.choose_document",
    ],
}

ROLES = {
    roles.CONTENT_EDITOR: CONTENT,
    roles.ORDER_MANAGER: {
        "permissions": [
            ACCESS_ADMIN,
            "orders.view_order",
            "orders.change_order",
            "orders.change_order_status",
            "orders.view_orderline",
            "orders.view_orderstatuschange",
            "orders.view_notificationtemplate",
            "payments.view_payment",
            "payments.view_paymentevent",
            "payments.view_refund",
            "payments.refund_payment",
            "accounts.view_user",
            "accounts.view_address",
            "catalog.view_product",
            "catalog.view_variant",
            "regions.view_region",
        ],
    },
    roles.MERCHANDISER: {
        "permissions": [
            ACCESS_ADMIN,
            "catalog.*",
            "pricing.*",
            "inventory.*",
            "exchange.run_import",
            "exchange.run_export",
            "exchange.view_importjob",
            "exchange.view_exportjob",
            "exchange.change_importjob",
            "search.view_search_analytics",
            "regions.view_region",
        ],
        # Фотографии товаров — изображения Wagtail.
        "collection_permissions": ["wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image"],
    },
    roles.ADMINISTRATOR: {
        "permissions": [
            ACCESS_ADMIN,
            *(f"{app}.*" for app in SHOP_APPS),
            "accounts.*",
            "auth.*",
            "blog.*",
        ],
        "page_permissions": ["add", "change", "publish", "bulk_delete", "lock", "unlock"],
        "collection_permissions": CONTENT["collection_permissions"],
    },
}



def groups_create(apps, schema_editor):
    roles.permissions_create(apps)
    roles.groups_ensure(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0002_addresses_consents_deletion"),
        ("regions", "0001_initial"),
        ("catalog", "0004_productoffer_partial_list_indexes"),
        ("pricing", "0002_drop_redundant_fk_indexes"),
        ("inventory", "0002_drop_redundant_fk_indexes"),
        ("cart", "0001_initial"),
        ("orders", "0002_staff_permissions"),
        ("payments", "0003_payment_refund_permission"),
        ("search", "0007_staff_permissions"),
        ("exchange", "0002_staff_permissions"),
        ("blog", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(groups_create, migrations.RunPython.noop)]
