"""Раздел «Обмен каталогом» в Wagtail admin: журнал импортов и экспортов с ходом выполнения.

Загрузка, предпросмотр и подтверждение идут через API /api/v1/exchange/ (админка вызывает его
с сессией сотрудника); здесь — список заданий, их счётчики, ход и файлы для скачивания.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from commerce.exchange.models import ExportJob, ImportJob


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
    items = (ImportJobViewSet, ExportJobViewSet)


@hooks.register("register_admin_viewset")
def register_exchange_viewsets():
    return ExchangeViewSetGroup()
