"""Чтения ядра интеграций: состояние подключений (панель Wagtail admin, API сотрудников), застрявшие доставки."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrations.core.models import Connection, Delivery, DeliveryState, SyncRun, SyncState


@dataclass(frozen=True)
class ConnectionHealth:
    """Состояние подключения: ``state`` — ok, errors (ошибки в последней синхронизации), stuck (события застряли)."""

    connection: Connection
    state: str
    state_label: str
    last_run: SyncRun | None
    stuck: int


def _stuck_q(prefix=""):
    """Условие «доставка застряла»: попытки исчерпаны или ждёт дольше четырёх проходов outbox."""
    stuck_before = timezone.now() - timedelta(seconds=settings.INTEGRATIONS_OUTBOX_POLL_SECONDS * 4)
    return Q(**{f"{prefix}state": DeliveryState.DEAD}) | Q(
        **{f"{prefix}state": DeliveryState.PENDING, f"{prefix}created_at__lt": stuck_before}
    )


def deliveries_stuck(*, connection=None):
    """Вернуть застрявшие доставки (с событием и подключением), новые сверху."""
    queryset = Delivery.objects.filter(_stuck_q()).select_related("event", "connection").order_by("-pk")
    if connection is not None:
        queryset = queryset.filter(connection=connection)
    return queryset


def connection_health_list():
    """Вернуть состояние каждого подключения: три запроса при любом числе подключений."""
    last_run = SyncRun.objects.filter(connection=OuterRef("pk")).order_by("-pk").values("pk")[:1]
    connections = list(
        Connection.objects.annotate(
            stuck=Count("deliveries", filter=_stuck_q("deliveries__")),
            last_run_id=Subquery(last_run),
        ).order_by("code")
    )
    runs = SyncRun.objects.in_bulk([item.last_run_id for item in connections if item.last_run_id])
    result = []
    for connection in connections:
        run = runs.get(connection.last_run_id)
        if connection.stuck:
            state, label = "stuck", _("события застряли")
        elif run is not None and run.state in (SyncState.ERRORS, SyncState.FAILED):
            state, label = "errors", _("ошибки в последней синхронизации")
        else:
            state, label = "ok", _("в порядке")
        result.append(ConnectionHealth(connection, state, label, run, connection.stuck))
    return result


def webhook_url(connection):
    """Полный адрес входящих вебхуков подключения (с секретным токеном) — его регистрируют в системе."""
    path = reverse("integrations_core:hook", args=[connection.code, connection.webhook_token])
    return settings.WAGTAILAPI_BASE_URL.rstrip("/") + path
