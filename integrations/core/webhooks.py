"""Входящие вебхуки: приём (сохранить сырой запрос, ответить быстро) и обработка в Celery."""

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.core.models import Connection, InboundWebhook, WebhookState

logger = logging.getLogger(__name__)

# Заголовки, которые не сохраняются: в них бывают учётные данные.
_HEADERS_DROPPED = frozenset({"authorization", "cookie", "proxy-authorization"})
PREFIX_LENGTH = 32


class WebhookRejected(Exception):
    """Вебхук не принят: ``status`` — код ответа, ``code`` — машинная причина."""

    def __init__(self, *, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _remote_addr(request):
    return request.META.get("REMOTE_ADDR") or None


def webhook_throttle_exceeded(*, remote_addr):
    """Посчитать запрос с IP в текущей минуте; True — предел INTEGRATIONS_WEBHOOK_RATE_PER_MINUTE превышен."""
    minute = int(timezone.now().timestamp() // 60)
    key = f"integrations:webhook:ip:{remote_addr}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=120)
        count = 1
    return count > settings.INTEGRATIONS_WEBHOOK_RATE_PER_MINUTE


def _rejected_store(*, connection, body, request, reason):
    """Сохранить отклонённый запрос без тела: только SHA-256 и короткое начало."""
    if connection is None:
        return
    InboundWebhook.objects.create(
        connection=connection,
        body_sha256=hashlib.sha256(body).hexdigest(),
        body_prefix=body[:PREFIX_LENGTH].decode("utf-8", "replace"),
        headers={},
        remote_addr=_remote_addr(request),
        state=WebhookState.REJECTED,
        error=reason,
    )


def webhook_receive(*, request, code, token):
    """Принять вебхук: проверить токен и подпись, сохранить сырой запрос, поставить обработку.

    Returns:
        (InboundWebhook, duplicate: bool).

    Raises:
        WebhookRejected: неизвестное подключение или токен (404), большое тело (413),
            неверная подпись (403); отклонённый запрос подключения сохраняется без тела.
    """
    connection = Connection.objects.filter(code=code, enabled=True).first()
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.INTEGRATIONS_WEBHOOK_MAX_BYTES:
        raise WebhookRejected(status=413, code="webhook_too_large", message="Тело вебхука слишком большое.")
    body = request.body
    if len(body) > settings.INTEGRATIONS_WEBHOOK_MAX_BYTES:
        raise WebhookRejected(status=413, code="webhook_too_large", message="Тело вебхука слишком большое.")
    if connection is None:
        raise WebhookRejected(status=404, code="webhook_unknown", message="Неизвестный адрес вебхука.")
    try:
        system = connection.system_instance()
    except LookupError:
        raise WebhookRejected(status=404, code="webhook_unknown", message="Неизвестный адрес вебхука.") from None
    if system.webhook_token_in_path and not hmac.compare_digest(token.encode(), connection.webhook_token.encode()):
        _rejected_store(connection=connection, body=body, request=request, reason="token")
        logger.warning("Вебхук %s: неверный токен с %s", code, _remote_addr(request))
        raise WebhookRejected(status=404, code="webhook_unknown", message="Неизвестный адрес вебхука.")
    if not system.webhook_verify(connection=connection, request=request, body=body):
        _rejected_store(connection=connection, body=body, request=request, reason="signature")
        logger.warning("Вебхук %s: неверная подпись с %s", code, _remote_addr(request))
        raise WebhookRejected(status=403, code="webhook_bad_signature", message="Неверная подпись вебхука.")
    event_id = str(system.webhook_event_id(connection=connection, request=request, body=body) or "")[:200]
    if not event_id:
        # Отправитель не прислал id: повтор того же тела считается тем же событием.
        event_id = "sha256:" + hashlib.sha256(body).hexdigest()
    headers = {name: value for name, value in request.headers.items() if name.lower() not in _HEADERS_DROPPED}
    try:
        with transaction.atomic():
            inbound = InboundWebhook.objects.create(
                connection=connection,
                event_id=event_id,
                body=body.decode("utf-8", "replace"),
                body_sha256=hashlib.sha256(body).hexdigest(),
                body_prefix=body[:PREFIX_LENGTH].decode("utf-8", "replace"),
                headers=headers,
                remote_addr=_remote_addr(request),
                state=WebhookState.RECEIVED,
            )
    except IntegrityError:
        existing = InboundWebhook.objects.exclude(state=WebhookState.REJECTED).get(
            connection=connection, event_id=event_id
        )
        return existing, True
    # tasks импортирует этот модуль (задача зовёт обработку): импорт здесь разрывает цикл.
    from integrations.core.tasks import webhook_process

    transaction.on_commit(lambda: webhook_process.delay(inbound.pk), robust=True)
    return inbound, False


def webhook_process_one(*, inbound_id):
    """Обработать вебхук ровно один раз: строка блокируется, обработанный повторно не трогается."""
    with transaction.atomic():
        inbound = (
            InboundWebhook.objects.select_for_update()
            .select_related("connection")
            .filter(pk=inbound_id, state=WebhookState.RECEIVED)
            .first()
        )
        if inbound is None:
            return
        try:
            with transaction.atomic():
                inbound.connection.system_instance().webhook_process(connection=inbound.connection, inbound=inbound)
        except Exception as error:
            logger.exception("Вебхук %s: ошибка обработки", inbound.pk)
            inbound.state, inbound.error = WebhookState.FAILED, f"{type(error).__name__}: {error}"[:2000]
        else:
            inbound.state = WebhookState.PROCESSED
        inbound.processed_at = timezone.now()
        inbound.save(update_fields=["state", "error", "processed_at"])
