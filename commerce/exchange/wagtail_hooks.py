"""Раздел «Обмен каталогом» в Wagtail admin: загрузка файла, журнал импортов и экспортов.

«Загрузить файл» — страницы admin_views (загрузка → предпросмотр → подтверждение) поверх тех же
сервисов, что и API /api/v1/exchange/; журналы — список заданий, их счётчики, ход и файлы.

Права (commerce/exchange/permissions.py): пункт «Загрузить файл» — с exchange.run_import;
журналы — с exchange.view_importjob / exchange.view_exportjob (все задания). Журналы только
для чтения: задание создаёт загрузка или выгрузка, а не форма админки, и «режим» проверенного
импорта нельзя поменять в обход пробного прогона.
"""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from commerce.exchange import (
    admin_panels,  # noqa: F401 — регистрирует панель на главной
    admin_views,
)
from commerce.exchange import permissions as exchange_permissions
from commerce.exchange.models import ExportJob, ImportJob


class JournalPermissionPolicy(ModelPermissionPolicy):
    """Журнал заданий: только просмотр (право view_*), без создания, правки и удаления."""

    WRITE_ACTIONS = frozenset({"add", "change", "delete", "copy"})

    def user_has_permission(self, user, action):
        if action in self.WRITE_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


for journal_model in (ImportJob, ExportJob):
    register_permission_policy(journal_model, JournalPermissionPolicy(journal_model))


class ImportUploadMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(exchange_permissions.RUN_IMPORT)


class ImportUploadViewSet(ViewSet):
    """Загрузка файла импорта, предпросмотр пробного прогона и подтверждение."""

    name = admin_views.URL_NAMESPACE
    url_prefix = "exchange/upload"
    icon = "upload"
    menu_label = _("Загрузить файл")
    add_to_admin_menu = False

    @cached_property
    def menu_item_class(self):
        return ImportUploadMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.import_upload, name="upload"),
            path("<int:pk>/", admin_views.import_review, name="review"),
        ]


class ImportJobViewSet(ModelViewSet):
    model = ImportJob
    url_prefix = "exchange/imports"
    icon = "upload"
    menu_label = _("Импорты")
    list_display = [
        "id",
        "original_name",
        "user",
        "status",
        "rows_total",
        "rows_created",
        "rows_updated",
        "rows_rejected",
        "rows_per_second",
        "created_at",
    ]
    list_filter = ["status", "mode"]
    search_fields = ["original_name"]
    # Форма не открывается никому (JournalPermissionPolicy), но Wagtail требует её описать.
    form_fields = ["mode", "create_missing"]
    add_to_admin_menu = False


class ExportJobViewSet(ModelViewSet):
    model = ExportJob
    url_prefix = "exchange/exports"
    icon = "download"
    menu_label = _("Экспорты")
    list_display = ["id", "file_format", "category", "region", "status", "rows_total", "rows_per_second", "created_at"]
    list_filter = ["status", "file_format"]
    form_fields = ["file_format", "category", "region"]
    add_to_admin_menu = False


class ExchangeViewSetGroup(ViewSetGroup):
    menu_label = _("Обмен каталогом")
    menu_icon = "resubmit"
    menu_order = 210
    items = (ImportUploadViewSet, ImportJobViewSet, ExportJobViewSet)


@hooks.register("register_admin_viewset")
def register_exchange_viewsets():
    return ExchangeViewSetGroup()
