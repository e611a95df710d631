"""Раздел «Обмен каталогом» в Wagtail admin: загрузка файла, журнал импортов и экспортов.

«Загрузить файл» — страницы admin_views (загрузка → предпросмотр → подтверждение) поверх тех же
сервисов, что и API /api/v1/exchange/; журналы — список заданий, их счётчики, ход и файлы.

Права (commerce/exchange/permissions.py): пункт «Загрузить файл» — с exchange.run_import;
журналы — с exchange.view_importjob / exchange.view_exportjob (все задания). Править и удалять
задания нельзя никому: «режим» проверенного импорта нельзя поменять в обход пробного прогона.
«Добавить» в журнале импортов ведёт на загрузку файла (право exchange.run_import), строка
журнала — на страницу проверки задания; «Добавить» в журнале экспортов — форма выгрузки
(право exchange.run_export), которая ставит задание в очередь тем же сервисом, что и API.
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
    """Журнал заданий: просмотр — право view_*, «добавить» — право запуска, правки и удаления нет."""

    WRITE_ACTIONS = frozenset({"change", "delete", "copy"})

    def __init__(self, model, *, add_permission):
        super().__init__(model)
        self.add_permission = add_permission

    def user_has_permission(self, user, action):
        if action in self.WRITE_ACTIONS:
            return False
        if action == "add":
            return user.is_active and user.has_perm(self.add_permission)
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        # Журнал (список) открывает только право просмотра: право запуска даёт «Добавить», но не
        # чужие задания (Wagtail пускает в список с любым из add/change/delete/view).
        if "view" in actions:
            return self.user_has_permission(user, "view")
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(
    ImportJob, JournalPermissionPolicy(ImportJob, add_permission=exchange_permissions.RUN_IMPORT)
)
register_permission_policy(
    ExportJob, JournalPermissionPolicy(ExportJob, add_permission=exchange_permissions.RUN_EXPORT)
)


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
    index_view_class = admin_views.ImportJobIndexView
    # Формы правки нет (JournalPermissionPolicy), а «Добавить» ведёт на загрузку, но Wagtail требует её описать.
    form_fields = ["mode", "create_missing"]
    add_to_admin_menu = False

    @property
    def add_view(self):
        return admin_views.import_add_redirect


class ExportJobViewSet(ModelViewSet):
    model = ExportJob
    url_prefix = "exchange/exports"
    icon = "download"
    menu_label = _("Экспорты")
    list_display = ["id", "file_format", "category", "region", "status", "rows_total", "rows_per_second", "created_at"]
    list_filter = ["status", "file_format"]
    index_view_class = admin_views.ExportJobIndexView
    add_view_class = admin_views.ExportJobCreateView
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
