"""API сотрудников в Wagtail admin: журнал действий (только чтение), ключи API, регионы сотрудников.

Журнал действий правят только сервисы API сотрудников: add/change/delete в админке отключены
той же политикой «только чтение», что у журнала платежей. Ключ API выпускается и отзывается
только через API (секрет показывается один раз, отзыв пишется в журнал): в админке — просмотр.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from commerce.payments.wagtail_hooks import ReadOnlyPermissionPolicy
from staffapi.models import ApiKey, StaffAction, StaffRegionAccess

for read_only_model in (StaffAction, ApiKey):
    register_permission_policy(read_only_model, ReadOnlyPermissionPolicy(read_only_model))


class StaffActionViewSet(ModelViewSet):
    model = StaffAction
    icon = "history"
    menu_label = _("Журнал действий")
    url_prefix = "staffapi/action"
    url_namespace = "wagtail_staffapi_action"
    copy_view_enabled = False
    inspect_view_enabled = True
    # Форма не открывается никому (ReadOnlyPermissionPolicy), но Wagtail требует её описать.
    exclude_form_fields = []
    list_display = ["created_at", "actor", "api_key", "action", "object_type", "object_repr", "ip_address"]
    list_filter = ["action", "object_type", "created_at"]
    search_fields = ["action", "object_id", "object_repr", "actor__username"]
    inspect_view_fields = [
        "created_at",
        "actor",
        "api_key",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before",
        "after",
        "ip_address",
    ]


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    icon = "key"
    menu_label = _("Ключи API")
    url_prefix = "staffapi/api-key"
    url_namespace = "wagtail_staffapi_api_key"
    copy_view_enabled = False
    inspect_view_enabled = True
    exclude_form_fields = []
    list_display = ["name", "prefix", "owner", "group", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["group", "revoked_at"]
    search_fields = ["name", "prefix", "owner__username"]


class StaffRegionAccessViewSet(ModelViewSet):
    model = StaffRegionAccess
    icon = "site"
    menu_label = _("Регионы сотрудников")
    url_prefix = "staffapi/region-access"
    url_namespace = "wagtail_staffapi_region_access"
    list_display = ["user"]
    form_fields = ["user", "regions"]


class StaffApiViewSetGroup(ModelViewSetGroup):
    menu_label = _("Сотрудники")
    menu_icon = "group"
    menu_order = 900
    items = (StaffActionViewSet, ApiKeyViewSet, StaffRegionAccessViewSet)


@hooks.register("register_admin_viewset")
def register_staffapi_viewsets():
    return StaffApiViewSetGroup()
