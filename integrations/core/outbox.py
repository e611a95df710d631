"""Transactional outbox: запись событий в транзакции изменения и их доставка подключениям.

Событие и его доставки (по одной на подписанное включённое подключение) пишутся в той же
транзакции, что и изменение заказа или покупателя: откат изменения откатывает и событие,
а зафиксированное событие не потеряется, даже если процесс умрёт сразу после COMMIT.

Доставка «хотя бы раз»: воркер берёт доставку с арендой (``locked_until``); умерший воркер
не успевает отметить её, аренда истекает, и доставку берёт следующий проход. Повтор
приходит с тем же ключом идемпотентности — получатель отбрасывает дубль.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from integrations.core.http import HttpError, backoff_seconds, connection_client
from integrations.core.models import Connection, Delivery, DeliveryState, OutboxEvent
from integrations.core.registry import DeliveryError

logger = logging.getLogger(__name__)

UNFINISHED = (DeliveryState.PENDING, DeliveryState.DELIVERING)
PERMANENT_STATUSES = frozenset({400, 410, 422})


def connection_subscribed(connection, kind):
    """Проверить, подписано ли подключение на вид события (настройка ``events`` важнее системы)."""
    try:
        events = (connection.options or {}).get("events") or connection.system_instance().events
    except LookupError:
        return False
    return "*" in events or kind in events


def outbox_event_add(*, kind, object_type, object_id, payload):
    """Записать событие и доставки подписанным подключениям в текущей транзакции.

    Вызывать внутри транзакции изменения. Если подписанных подключений нет, ничего не пишет.

    Returns:
        OutboxEvent или None.
    """
    written = outbox_events_add(
        events=[{"kind": kind, "object_type": object_type, "object_id": object_id, "payload": payload}]
    )
    return written[0] if written else None


def outbox_events_add(*, events):
    """Записать пачку событий (одно чтение подключений на пачку) — для пачечных записей магазина.

    Args:
        events: list[dict] с kind, object_type, object_id, payload — как у outbox_event_add.

    Returns:
        list[OutboxEvent] — записанные события (у которых нашлись подписанные подключения).
    """
    if not events:
        return []
    enabled = list(Connection.objects.filter(enabled=True))
    subscribed = [(item, [c for c in enabled if connection_subscribed(c, item["kind"])]) for item in events]
    subscribed = [(item, connections) for item, connections in subscribed if connections]
    if not subscribed:
        return []
    written = OutboxEvent.objects.bulk_create(
        OutboxEvent(
            kind=item["kind"],
            object_type=item["object_type"],
            object_id=str(item["object_id"]),
            payload=item["payload"],
        )
        for item, _connections in subscribed
    )
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(
            event=event,
            connection=connection,
            object_key=f"{item['object_type']}:{item['object_id']}",
            next_attempt_at=now,
        )
        for event, (item, connections) in zip(written, subscribed, strict=True)
        for connection in connections
    )
    transaction.on_commit(_deliver_soon, robust=True)
    return written


def _deliver_soon():
    # tasks импортирует этот модуль (задача зовёт доставку): импорт здесь разрывает цикл.
    from integrations.core.tasks import outbox_deliver

    outbox_deliver.delay()


def deliveries_claim(*, limit):
    """Взять в работу до ``limit`` доставок, которые пора отправлять, соблюдая порядок по объекту.

    Берётся только «голова» очереди объекта: у доставки нет незавершённой доставки более
    раннего события того же объекта тому же подключению. На PostgreSQL строки блокируются
    ``SELECT ... FOR UPDATE SKIP LOCKED`` (параллельные воркеры не ждут друг друга); на SQLite
    записи и так идут по очереди, а взятие подтверждается условным UPDATE.

    Returns:
        list[Delivery] с подгруженными событием и подключением.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.INTEGRATIONS_DELIVERY_LEASE_SECONDS)
    earlier = Delivery.objects.filter(
        connection_id=OuterRef("connection_id"),
        object_key=OuterRef("object_key"),
        event_id__lt=OuterRef("event_id"),
        state__in=UNFINISHED,
    )
    due = Q(state=DeliveryState.PENDING) | Q(state=DeliveryState.DELIVERING, locked_until__lt=now)
    with transaction.atomic():
        queryset = (
            Delivery.objects.filter(due, next_attempt_at__lte=now, connection__enabled=True)
            .exclude(Exists(earlier))
            .order_by("event_id", "pk")
        )
        if db_connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True, of=("self",))
        candidates = list(queryset.values_list("pk", flat=True)[:limit])
        claimed = []
        for pk in candidates:
            taken = (
                Delivery.objects.filter(pk=pk)
                .filter(due)
                .update(state=DeliveryState.DELIVERING, locked_until=lease, last_error="")
            )
            if taken:
                claimed.append(pk)
    return list(Delivery.objects.filter(pk__in=claimed).select_related("event", "connection").order_by("event_id"))


def delivery_send(delivery):
    """Отправить одну взятую доставку и записать исход: доставлено, повтор позже или «мёртвое».

    Returns:
        bool — доставлено.
    """
    connection = delivery.connection
    try:
        system = connection.system_instance()
        client = connection_client(connection, retries=0)
        system.deliver(
            connection=connection, event=delivery.event, idempotency_key=str(delivery.idempotency_key), client=client
        )
    except (DeliveryError, HttpError) as error:
        retry_after = getattr(error, "retry_after", None)
        # Повтор бесполезен, только если система отвергла само событие (400, 410, 422); неверный
        # пароль (401/403) или адрес (404) исправит администратор — события должны дождаться.
        permanent = getattr(error, "permanent", False) or (
            isinstance(error, HttpError) and error.status in PERMANENT_STATUSES
        )
        delivery_fail(delivery, message=str(error), retry_after=retry_after, permanent=permanent)
        return False
    except Exception as error:
        logger.exception("Доставка %s: ошибка коннектора", delivery.pk)
        delivery_fail(delivery, message=f"{type(error).__name__}: {error}", retry_after=None, permanent=False)
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.DELIVERED, delivered_at=timezone.now(), locked_until=None, attempts=delivery.attempts + 1
    )
    logger.info("Событие %s доставлено в %s", delivery.event, connection.code)
    return True


def delivery_fail(delivery, *, message, retry_after, permanent):
    """Записать неудачную попытку: следующая — через паузу с джиттером (или Retry-After), либо «мёртвое»."""
    attempts = delivery.attempts + 1
    now = timezone.now()
    if permanent or attempts >= settings.INTEGRATIONS_MAX_ATTEMPTS:
        state, next_attempt_at = DeliveryState.DEAD, now
        logger.error(
            "Событие %s в %s не доставлено, попыток %s: %s", delivery.event, delivery.connection, attempts, message
        )
    else:
        pause = backoff_seconds(
            attempts, base=settings.INTEGRATIONS_RETRY_BASE_SECONDS, cap=settings.INTEGRATIONS_RETRY_CAP_SECONDS
        )
        if retry_after is not None:
            pause = max(pause, min(retry_after, settings.INTEGRATIONS_RETRY_CAP_SECONDS))
        state, next_attempt_at = DeliveryState.PENDING, now + timedelta(seconds=pause)
        logger.warning(
            "Событие %s в %s: попытка %s не удалась: %s", delivery.event, delivery.connection, attempts, message
        )
    Delivery.objects.filter(pk=delivery.pk).update(
        state=state, attempts=attempts, next_attempt_at=next_attempt_at, locked_until=None, last_error=message[:2000]
    )


def outbox_deliver_due(*, batch=None, time_budget=None):
    """Доставлять, пока есть что и пока не вышло время прохода; вернуть число доставленных."""
    batch = batch or settings.INTEGRATIONS_OUTBOX_BATCH
    deadline = timezone.now() + timedelta(seconds=time_budget or settings.INTEGRATIONS_OUTBOX_TIME_BUDGET)
    delivered = 0
    while timezone.now() < deadline:
        deliveries = deliveries_claim(limit=batch)
        if not deliveries:
            break
        for delivery in deliveries:
            delivered += delivery_send(delivery)
    return delivered


def deliveries_retry(*, queryset):
    """Поставить выбранные недоставленные (ждущие или «мёртвые») доставки на отправку сейчас.

    Returns:
        int — сколько доставок поставлено.
    """
    with transaction.atomic():
        count = queryset.filter(state__in=[DeliveryState.PENDING, DeliveryState.DEAD]).update(
            state=DeliveryState.PENDING, next_attempt_at=timezone.now(), attempts=0, locked_until=None
        )
        if count:
            transaction.on_commit(_deliver_soon, robust=True)
    return count
