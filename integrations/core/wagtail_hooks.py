"""Интеграции в Wagtail admin: подключения, доставки событий, вебхуки, журнал синхронизаций, панель.

Доступ — по правам моделей (integrations_core.*), а не по is_staff. Журналы (доставки,
вебхуки, синхронизации, внешние id) в админке только читаются: их пишут сервисы ядра.
"""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.models import EditView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from integrations.core.admin_views import connection_check_view, delivery_retry_view
from integrations.core.forms import ConnectionForm
from integrations.core.models import Connection, Delivery, ExternalId, InboundWebhook, SyncRun
from integrations.core.selectors import connection_health_list


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Разрешить в админке только просмотр: записи журнала меняют лишь сервисы."""

    WRITE_ACTIONS = frozenset({"add", "change", "delete", "copy"})

    def user_has_permission(self, user, action):
        if action in self.WRITE_ACTIONS:
            return False
        return super().user_has_permission(user, action)


for read_only_model in (Delivery, InboundWebhook, SyncRun, ExternalId):
    register_permission_policy(read_only_model, ReadOnlyPermissionPolicy(read_only_model))


class ConnectionEditView(EditView):
    """Правка подключения с кнопками «Проверить соединение» и «Повторить недоставленные»."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        user = self.request.user
        if user.has_perm("integrations_core.change_connection"):
            buttons.append(
                HeaderButton(
                    _("Проверить соединение"),
                    url=reverse("integrations_connection_check", args=[self.object.pk]),
                    icon_name="link",
                )
            )
        if user.has_perm("integrations_core.change_delivery"):
            buttons.append(
                HeaderButton(
                    _("Повторить недоставленные"),
                    url=reverse("integrations_connection_retry", args=[self.object.pk]),
                    icon_name="repeat",
                )
            )
        return buttons


class ConnectionViewSet(ModelViewSet):
    model = Connection
    icon = "link"
    menu_label = _("Подключения")
    url_prefix = "integrations/connection"
    url_namespace = "wagtail_integrations_connection"
    copy_view_enabled = False
    edit_view_class = ConnectionEditView
    list_display = ["code", "system", "base_url", "enabled", "updated_at"]
    list_filter = ["system", "enabled"]
    search_fields = ["code", "base_url"]

    def get_form_class(self, for_update=False):
        return ConnectionForm


def retry_url(delivery):
    """Адрес «Повторить» — только у недоставленных (ждущих или «мёртвых») доставок."""
    if delivery.state not in ("pending", "dead"):
        return None
    return reverse("integrations_delivery_retry", args=[delivery.pk])


class DeliveryInspectView(InspectView):
    @cached_property
    def header_buttons(self):
        url = retry_url(self.object)
        if url is None or not self.request.user.has_perm("integrations_core.change_delivery"):
            return []
        return [HeaderButton(_("Повторить"), url=url, icon_name="repeat")]


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    icon = "mail"
    menu_label = _("Доставки событий")
    url_prefix = "integrations/delivery"
    url_namespace = "wagtail_integrations_delivery"
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = DeliveryInspectView
    exclude_form_fields = []
    list_display = [
        "event",
        "connection",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        TitleColumn("retry", label=_("Повторить"), get_url=retry_url, accessor=lambda delivery: _("Повторить")),
    ]
    list_filter = ["state", "connection", "event__kind"]
    inspect_view_fields = [
        "event",
        "connection",
        "state",
        "attempts",
        "next_attempt_at",
        "idempotency_key",
        "last_error",
        "delivered_at",
        "created_at",
    ]


class InboundWebhookViewSet(ModelViewSet):
    model = InboundWebhook
    icon = "download"
    menu_label = _("Входящие вебхуки")
    url_prefix = "integrations/webhook"
    url_namespace = "wagtail_integrations_webhook"
    copy_view_enabled = False
    inspect_view_enabled = True
    exclude_form_fields = []
    list_display = ["received_at", "connection", "event_id", "state", "remote_addr", "error"]
    list_filter = ["state", "connection"]
    search_fields = ["event_id", "body_sha256"]
    inspect_view_fields = [
        "received_at",
        "connection",
        "event_id",
        "state",
        "remote_addr",
        "body_sha256",
        "body_prefix",
        "headers",
        "body",
        "error",
        "processed_at",
    ]


class SyncRunViewSet(ModelViewSet):
    model = SyncRun
    icon = "history"
    menu_label = _("Журнал синхронизаций")
    url_prefix = "integrations/sync-run"
    url_namespace = "wagtail_integrations_syncrun"
    copy_view_enabled = False
    inspect_view_enabled = True
    exclude_form_fields = []
    list_display = [
        "started_at",
        "connection",
        "direction",
        "state",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "failed",
        Column("duration", label=_("длительность")),
    ]
    list_filter = ["connection", "direction", "state"]
    inspect_view_fields = [
        "connection",
        "direction",
        "state",
        "full",
        "dry_run",
        "started_at",
        "finished_at",
        "duration",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "failed",
        "errors",
    ]


class ExternalIdViewSet(ModelViewSet):
    model = ExternalId
    icon = "tag"
    menu_label = _("Внешние id")
    url_prefix = "integrations/external-id"
    url_namespace = "wagtail_integrations_externalid"
    copy_view_enabled = False
    exclude_form_fields = []
    list_display = ["connection", "kind", "external_id", "object_id", "updated_at"]
    list_filter = ["connection", "kind"]
    search_fields = ["external_id", "object_id"]


class IntegrationsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Интеграции")
    menu_icon = "link"
    menu_order = 330
    items = (ConnectionViewSet, DeliveryViewSet, InboundWebhookViewSet, SyncRunViewSet, ExternalIdViewSet)


@hooks.register("register_admin_viewset")
def register_integrations_viewsets():
    return IntegrationsViewSetGroup()


@hooks.register("register_admin_urls")
def register_integrations_urls():
    return [
        path("integrations/check/<int:pk>/", connection_check_view, name="integrations_connection_check"),
        path("integrations/retry/<int:pk>/", delivery_retry_view, name="integrations_delivery_retry"),
        path(
            "integrations/retry-all/<int:connection_pk>/",
            delivery_retry_view,
            name="integrations_connection_retry",
        ),
    ]


class IntegrationsPanel(Component):
    """Панель на главной: состояние каждого подключения (в порядке, ошибки, застрявшие события)."""

    name = "integrations"
    order = 150
    template_name = "integrations_core/admin/dashboard_panel.html"

    def get_context_data(self, parent_context):
        return {"rows": connection_health_list()}


@hooks.register("construct_homepage_panels")
def add_integrations_panel(request, panels):
    if request.user.has_perm("integrations_core.view_connection") and Connection.objects.exists():
        panels.append(IntegrationsPanel())
