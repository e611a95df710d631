"""Меню админки по ролям: каждый видит свой участок, а не всё, на что у него есть право просмотра.

Разделы Wagtail сами прячутся от тех, у кого нет прав на их модели. Но роли получают права
просмотра и ради окон выбора и подписей: контент-редактор — товары (карточка товара в статье),
менеджер заказов — товары, варианты, регионы и пользователей (строки заказа, фильтры,
покупатель). Такое право не повод показывать раздел в меню: пункт из LOOKUP_ONLY прячется,
если у пользователя на его модель есть только view_*, без add/change/delete. Адрес раздела
по-прежнему открывается (права не меняются) — меняется только меню.

Отчёт переводов (wagtail-localize) и руководство редактора — тем, кто правит страницы;
«Что нового в Wagtail» и ссылки на внешние сайты справки — никому (админка работает и без
интернета, и это меню магазина, а не Wagtail).
"""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.permission_policies.pages import PagePermissionPolicy

# Путь раздела от корня админки → модель, право просмотра которой выдаётся ради выбора и подписей.
LOOKUP_ONLY = {
    "snippets/catalog/product/": "catalog.product",
    "snippets/catalog/variant/": "catalog.variant",
    "regions/": "regions.region",
    "users/": "accounts.user",
}
PAGE_EDITOR_ONLY = ("localize/reports/translations/",)
HIDDEN_HELP_PREFIXES = ("whats-new",)
EDIT_ACTIONS = ("add", "change", "delete")


def _admin_path(url):
    root = reverse("wagtailadmin_home")
    return url[len(root) :] if url and url.startswith(root) else None


def _only_views(user, model_label):
    app_label, model = model_label.split(".")
    return not any(user.has_perm(f"{app_label}.{action}_{model}") for action in EDIT_ACTIONS)


def _user_edits_pages(user):
    return PagePermissionPolicy().user_has_any_permission(user, {"add", "change", "publish"})


def menu_item_is_for_user(item, user):
    """Решить, показывать ли пункт меню пользователю сверх проверки прав самого Wagtail."""
    if user.is_superuser:
        return True
    path = _admin_path(getattr(item, "url", ""))
    if path is None:
        return True
    for prefix, model_label in LOOKUP_ONLY.items():
        if path.startswith(prefix) and _only_views(user, model_label):
            return False
    if path.startswith(PAGE_EDITOR_ONLY):
        return _user_edits_pages(user)
    return True


@hooks.register("construct_main_menu")
def main_menu_for_role(request, menu_items):
    """Убрать из меню разделы «только для выбора»; пустой после этого подраздел убрать целиком."""
    kept = []
    for item in menu_items:
        if isinstance(item, SubmenuMenuItem) and item.menu.construct_hook_name is None:
            children = item.menu.menu_items_for_request(request)
            visible = [child for child in children if menu_item_is_for_user(child, request.user)]
            if not visible:
                continue
            if len(visible) != len(children):
                item = SubmenuMenuItem(
                    item.label,
                    Menu(items=visible),
                    name=item.name,
                    icon_name=item.icon_name,
                    classname=item.classname,
                    order=item.order,
                )
        elif not menu_item_is_for_user(item, request.user):
            continue
        kept.append(item)
    menu_items[:] = kept


@hooks.register("construct_reports_menu")
def reports_menu_for_role(request, menu_items):
    menu_items[:] = [item for item in menu_items if menu_item_is_for_user(item, request.user)]


@hooks.register("construct_settings_menu")
def settings_menu_for_role(request, menu_items):
    menu_items[:] = [item for item in menu_items if menu_item_is_for_user(item, request.user)]


@hooks.register("construct_help_menu")
def help_menu_for_role(request, menu_items):
    """Оставить в «Помощи» горячие клавиши и — редакторам страниц — руководство редактора."""
    edits_pages = request.user.is_superuser or _user_edits_pages(request.user)
    menu_items[:] = [
        item
        for item in menu_items
        if not item.name.startswith(HIDDEN_HELP_PREFIXES) and (edits_pages or item.name != "editor-guide")
    ]
