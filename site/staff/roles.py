"""Роли сотрудников — группы Django с правами, которые магазин ставит сам (миграции staff).

Права выдаются группам, а не людям: сотрудник получает роль, добавляясь в группу. Отметка
«сотрудник» (is_staff) только открывает /django-admin/; что человек может, решают права групп.
Каждая роль получает доступ в админку Wagtail (wagtailadmin.access_admin).

Определение роли — словарь:

* ``permissions`` — коды «приложение.право»; ``"приложение.*"`` — все права моделей приложения;
* ``page_permissions`` — права на дерево страниц от корня (add, change, publish, …);
* ``collection_permissions`` — права на изображения и документы корневой коллекции.

Сами определения ролей заморожены в миграциях (0001_staff_groups): новая миграция добавляет
роли или права, старая не меняется. Функция groups_ensure вызывается из миграций
с историческим реестром моделей и только добавляет: права, которые администратор выдал
группе сам, не снимаются, повторный запуск ничего не меняет. Неизвестный код права — ошибка
(опечатка в роли не должна молча ослабить её).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

CONTENT_EDITOR = "Контент-редактор"
ORDER_MANAGER = "Менеджер заказов"
MERCHANDISER = "Товаровед"
ADMINISTRATOR = "Администратор"


def groups_ensure(apps, roles):
    """Создать группы ролей и добавить им права (идемпотентно); apps — реестр моделей миграции.

    Args:
        apps: исторический реестр моделей (аргумент функции RunPython).
        roles: {имя группы: определение роли} — см. описание модуля.

    Raises:
        LookupError: права с таким кодом нет (опечатка в роли или приложение не мигрировано).
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, role in roles.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(Permission, role.get("permissions", ())))
        if role.get("page_permissions"):
            _page_permissions_ensure(apps, Permission, group, role["page_permissions"])
        if role.get("collection_permissions"):
            _collection_permissions_ensure(apps, Permission, group, role["collection_permissions"])


def _permissions(Permission, codes):
    found = []
    for code in codes:
        app_label, codename = code.split(".", 1)
        if codename == "*":
            rows = list(Permission.objects.filter(content_type__app_label=app_label))
            if not rows:
                raise LookupError(f"У приложения {app_label} нет прав: его миграции не применены?")
            found.extend(rows)
            continue
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is None:
            raise LookupError(f"Нет права {code}")
        found.append(permission)
    return found


def _page_permissions_ensure(apps, Permission, group, kinds):
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        raise LookupError("Нет корневой страницы Wagtail")
    for permission in _permissions(Permission, [f"wagtailcore.{kind}_page" for kind in kinds]):
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


def _collection_permissions_ensure(apps, Permission, group, codes):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        raise LookupError("Нет корневой коллекции Wagtail")
    for permission in _permissions(Permission, codes):
        GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def permissions_create(apps):
    """Создать строки прав всех приложений сейчас, а не после миграций (post_migrate).

    Django заводит права моделей сигналом post_migrate — уже после всех миграций; миграции
    ролей нужны они раньше. create_permissions с историческим реестром делает то же самое.
    """
    for app_config in global_apps.get_app_configs():
        try:
            apps.get_app_config(app_config.label)
        except LookupError:
            continue  # приложения нет в состоянии миграций (нет моделей или миграций)
        create_permissions(app_config, verbosity=0, apps=apps)


def custom_permissions_ensure(apps, permissions):
    """Завести собственные права, не привязанные к Meta.permissions модели (идемпотентно).

    Так заводится право на чужой модели без миграции её приложения: например,
    ``accounts.view_customer_pii`` — на модели пользователя, но решает о нём API сотрудников.

    Args:
        apps: исторический реестр моделей.
        permissions: {"приложение.модель.право": название} — модель нужна для типа содержимого.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for code, name in permissions.items():
        app_label, model, codename = code.split(".")
        content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
        Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})
