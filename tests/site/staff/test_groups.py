"""Группы ролей сотрудников: после migrate есть четыре группы с нужными правами; повтор ничего не меняет."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from staff import roles
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

ROLE_NAMES = [roles.CONTENT_EDITOR, roles.ORDER_MANAGER, roles.MERCHANDISER, roles.ADMINISTRATOR]

# Что роль может (✓) и чего не может (✗) — по одному-два характерных права на каждую сторону.
EXPECTED = {
    roles.CONTENT_EDITOR: (
        {"blog.change_blogauthor", "blog.add_blogcategory", "catalog.view_product"},
        {"pricing.change_variantprice", "orders.view_order", "exchange.run_import", "accounts.view_user"},
    ),
    roles.ORDER_MANAGER: (
        {
            "orders.view_order",
            "orders.change_order_status",
            "payments.view_payment",
            "payments.refund_payment",
            "accounts.view_user",
            "integrations_amocrm.view_amodeal",
        },
        {
            "pricing.change_variantprice",
            "exchange.run_import",
            "orders.delete_order",
            "accounts.change_user",
            "integrations_amocrm.change_amodeal",
            "accounts_oauth.change_oauthprovidersetting",
        },
    ),
    roles.MERCHANDISER: (
        {
            "catalog.change_product",
            "pricing.change_variantprice",
            "inventory.change_stock",
            "exchange.run_import",
            "exchange.run_export",
            "search.view_search_analytics",
        },
        {
            "orders.change_order_status",
            "payments.refund_payment",
            "accounts.view_user",
            "integrations_amocrm.view_amodeal",
        },
    ),
    roles.ADMINISTRATOR: (
        {
            "pricing.change_variantprice",
            "exchange.run_import",
            "orders.change_order_status",
            "payments.refund_payment",
            "search.view_search_analytics",
            "accounts.change_user",
            "auth.change_group",
            "blog.change_blogauthor",
            "integrations_amocrm.view_amodeal",
            "accounts_oauth.change_oauthprovidersetting",
            "accounts_oauth.add_oauthredirecturi",
        },
        set(),
    ),
}


def member(name):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.mark.parametrize("name", ROLE_NAMES)
def test_role_groups_exist_after_migrate_with_their_permissions(name):
    user = member(name)
    allowed, denied = EXPECTED[name]

    assert user.has_perm("wagtailadmin.access_admin")
    assert {code for code in allowed if not user.has_perm(code)} == set()
    assert {code for code in denied if user.has_perm(code)} == set()


def test_content_editor_edits_and_publishes_pages_and_media_from_the_root():
    group = Group.objects.get(name=roles.CONTENT_EDITOR)
    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)

    pages = set(
        GroupPagePermission.objects.filter(group=group, page=root_page).values_list("permission__codename", flat=True)
    )
    media = set(
        GroupCollectionPermission.objects.filter(group=group, collection=root_collection).values_list(
            "permission__codename", flat=True
        )
    )

    assert {"add_page", "change_page", "publish_page"} <= pages
    assert "bulk_delete_page" not in pages
    assert {"add_image", "choose_image", "add_document", "choose_document"} <= media


def test_role_migration_is_idempotent():
    # given: миграция уже применена (база тестов создана миграциями)
    migration = importlib.import_module("staff.migrations.0001_staff_groups")
    before = {group.name: set(group.permissions.values_list("pk", flat=True)) for group in Group.objects.all()}
    page_rows = GroupPagePermission.objects.count()
    collection_rows = GroupCollectionPermission.objects.count()

    # when: повторный запуск
    migration.groups_create(global_apps, None)

    # then
    after = {group.name: set(group.permissions.values_list("pk", flat=True)) for group in Group.objects.all()}
    assert after == before
    assert (GroupPagePermission.objects.count(), GroupCollectionPermission.objects.count()) == (
        page_rows,
        collection_rows,
    )


def test_role_migration_keeps_permissions_an_administrator_added():
    from django.contrib.auth.models import Permission

    migration = importlib.import_module("staff.migrations.0001_staff_groups")
    group = Group.objects.get(name=roles.CONTENT_EDITOR)
    extra = Permission.objects.get(content_type__app_label="orders", codename="view_order")
    group.permissions.add(extra)

    migration.groups_create(global_apps, None)

    assert group.permissions.filter(pk=extra.pk).exists()


def test_unknown_permission_in_a_role_is_an_error():
    with pytest.raises(LookupError, match=r"catalog\.fly_product"):
        roles.groups_ensure(global_apps, {"Проба": {"permissions": ["catalog.fly_product"]}})
