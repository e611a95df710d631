"""Чтения ядра интеграций: состояние подключений для панели на главной Wagtail admin."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrations.core.models import Connection, DeliveryState, SyncRun, SyncState


@dataclass(frozen=True)
class ConnectionHealth:
    """Состояние подключения: ``state`` — ok, errors (ошибки в последней синхронизации), stuck (события застряли)."""

    connection: Connection
    state: str
    state_label: str
    last_run: SyncRun | None
    stuck: int


def connection_health_list():
    """Вернуть состояние каждого подключения одним запросом на подключения и одним на журнал."""
    stuck_before = timezone.now() - timedelta(seconds=settings.INTEGRATIONS_OUTBOX_POLL_SECONDS * 4)
    connections = Connection.objects.annotate(
        stuck=Count(
            "deliveries",
            filter=Q(deliveries__state=DeliveryState.DEAD)
            | Q(deliveries__state=DeliveryState.PENDING, deliveries__created_at__lt=stuck_before),
        )
    ).order_by("code")
    last_runs = {}
    for run in SyncRun.objects.order_by("connection_id", "-pk").distinct("connection_id") if _distinct_on() else ():
        last_runs[run.connection_id] = run
    result = []
    for connection in connections:
        run = last_runs.get(connection.pk) if _distinct_on() else connection.sync_runs.order_by("-pk").first()
        if connection.stuck:
            state, label = "stuck", _("события застряли")
        elif run is not None and run.state in (SyncState.ERRORS, SyncState.FAILED):
            state, label = "errors", _("ошибки в последней синхронизации")
        else:
            state, label = "ok", _("в порядке")
        result.append(ConnectionHealth(connection, state, label, run, connection.stuck))
    return result


def _distinct_on():
    from django.db import connection

    return connection.features.can_distinct_on_fields
