"""Раздел «Обмен каталогом» в Wagtail admin: загрузка файла, журнал импортов и экспортов.

«Загрузить файл» — страницы admin_views (загрузка → предпросмотр → подтверждение) поверх тех же
сервисов, что и API /api/v1/exchange/; журналы — список заданий, их счётчики, ход и файлы.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from commerce.exchange import admin_views
from commerce.exchange.models import ExportJob, ImportJob


class ImportUploadViewSet(ViewSet):
    """Загрузка файла импорта, предпросмотр пробного прогона и подтверждение."""

    name = admin_views.URL_NAMESPACE
    url_prefix = "exchange/upload"
    icon = "upload"
    menu_label = _("Загрузить файл")
    add_to_admin_menu = False

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
