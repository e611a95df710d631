"""Обмен с 1С в Wagtail admin: файлы сессий (только просмотр и скачивание, по правам моделей)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from integrations.onec.admin_views import exchange_file_download
from integrations.onec.models import ExchangeFile


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Только просмотр: файлы сессий пишет обмен, а не сотрудник."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete", "copy"}:
            return False
        return super().user_has_permission(user, action)


register_permission_policy(ExchangeFile, ReadOnlyPolicy(ExchangeFile))


def download_url(instance):
    return reverse("integrations_onec_file_download", args=[instance.pk])


class ExchangeFileViewSet(ModelViewSet):
    model = ExchangeFile
    icon = "doc-full"
    menu_label = _("Файлы обмена с 1С")
    add_to_admin_menu = True
    menu_order = 331
    url_prefix = "integrations/1c-files"
    url_namespace = "wagtail_integrations_onec_file"
    copy_view_enabled = False
    inspect_view_enabled = True
    exclude_form_fields = []
    list_display = [
        "name",
        "session",
        "size",
        "chunks",
        "received_at",
        TitleColumn("download", label=_("скачать"), get_url=download_url, accessor=lambda _file: _("скачать")),
    ]
    list_filter = ["session__connection"]
    inspect_view_fields = ["session", "name", "size", "chunks", "received_at"]


@hooks.register("register_admin_viewset")
def register_onec_viewsets():
    return ExchangeFileViewSet("onec_files")


@hooks.register("register_admin_urls")
def register_onec_urls():
    return [
        path("integrations/1c-files/<int:pk>/download/", exchange_file_download, name="integrations_onec_file_download")
    ]
