"""Ключи Idempotency-Key оформления заказа.

Жизненный цикл ключа:

1. ``idempotency_begin`` вставляет строку «выполняется» в своей короткой транзакции.
   Уникальный индекс (область, ключ) упорядочивает параллельные запросы: второй ждёт
   фиксации первой вставки и получает IntegrityError, после чего смотрит на строку:
   другой отпечаток тела → 422, заказ уже есть → повтор ответа, ещё выполняется → 409.
2. Заказ привязывается к ключу в той же транзакции, что и создаётся (OrderPlacer), вместе
   с готовым ответом: «заказ есть, а ключ о нём не знает» не бывает, поэтому повтор никогда
   не создаёт второй заказ.
3. Ошибка оформления (нет товара, неверный адрес) ключ освобождает: его можно повторить.
4. Ключи живут не меньше ORDERS_IDEMPOTENCY_KEY_TTL_HOURS; старые удаляет задача beat.
"""

import hashlib
import json
import re
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from commerce.orders.exceptions import IdempotencyKeyInvalid, IdempotencyKeyReused, IdempotencyRequestInProgress
from commerce.orders.models import IdempotencyKey, IdempotencyState

KEY_PATTERN = re.compile(r"^[\x21-\x7e]{8,255}$")


def request_fingerprint(data):
    """Отпечаток тела запроса: SHA-256 канонического JSON (порядок ключей не важен)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotency_begin(*, scope, key, fingerprint):
    """Занять ключ под новый запрос или найти завершённый.

    Returns:
        tuple (IdempotencyKey, replay): replay=True — заказ по ключу уже создан, отдайте его ответ.

    Raises:
        IdempotencyKeyInvalid: ключ пуст, короче 8 или длиннее 255 символов, не ASCII.
        IdempotencyKeyReused: тот же ключ с другим телом запроса (422).
        IdempotencyRequestInProgress: первый запрос с этим ключом ещё выполняется (409).
    """
    if not KEY_PATTERN.match(key):
        raise IdempotencyKeyInvalid()
    for _attempt in range(3):
        try:
            # Вне транзакции (обычный запрос API) вставка — одна команда в autocommit: точка
            # сохранения нужна, только если вызывающий уже в транзакции (иначе ошибка её сломает).
            with transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext():
                record = IdempotencyKey.objects.create(
                    scope=scope, key=key, request_hash=fingerprint, state=IdempotencyState.IN_PROGRESS
                )
            return record, False
        except IntegrityError:
            existing = IdempotencyKey.objects.filter(scope=scope, key=key).first()
        if existing is None:
            continue  # строку только что удалили (ошибка первого запроса или очистка) — пробуем снова
        if existing.request_hash != fingerprint:
            raise IdempotencyKeyReused()
        if existing.order_id is not None:
            return existing, True
        if _stale_take_over(existing):
            return existing, False
        raise IdempotencyRequestInProgress()
    raise IdempotencyRequestInProgress()


def _stale_take_over(record):
    """Забрать ключ, чей запрос «завис» (процесс упал до создания заказа), условным UPDATE."""
    now = timezone.now()
    if record.updated_at > now - timedelta(seconds=settings.ORDERS_IDEMPOTENCY_STALE_SECONDS):
        return False
    taken = IdempotencyKey.objects.filter(pk=record.pk, updated_at=record.updated_at, order__isnull=True).update(
        updated_at=now
    )
    record.updated_at = now
    return taken == 1


def idempotency_order_attach(*, record, order, status_code=None, body=None):
    """Привязать созданный заказ к ключу (вызывать в транзакции создания заказа) — одна команда.

    С ответом (status_code и body) ключ сразу завершён: повтор получит этот ответ, и отдельной
    записи ответа после фиксации не нужно.
    """
    changes = {"order": order, "updated_at": timezone.now()}
    if body is not None:
        changes |= {"state": IdempotencyState.COMPLETED, "response_status": status_code, "response_body": body}
    IdempotencyKey.objects.filter(pk=record.pk).update(**changes)


def idempotency_release(*, record):
    """Освободить ключ после ошибки оформления: повтор с ним выполнится заново."""
    IdempotencyKey.objects.filter(pk=record.pk, order__isnull=True).delete()


def idempotency_keys_purge(*, now=None):
    """Удалить ключи старше ORDERS_IDEMPOTENCY_KEY_TTL_HOURS; вернуть их число."""
    now = now or timezone.now()
    threshold = now - timedelta(hours=settings.ORDERS_IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=threshold).delete()
    return deleted
