"""Заявки «перезвоните мне» с витрины: запись события в outbox для CRM в транзакции."""

import uuid

from django.db import transaction
from django.utils import timezone

from integrations.core.outbox import outbox_event_add

REQUEST_EVENT = "crm.request"


@transaction.atomic
def crm_request_create(*, name, phone, comment="", page="", ip="", referer=""):
    """Записать заявку для всех подключений CRM, подписанных на ``crm.request``.

    Returns:
        OutboxEvent или None, если ни одно подключение заявки не принимает.
    """
    request_id = uuid.uuid4()
    return outbox_event_add(
        kind=REQUEST_EVENT,
        object_type="crm_request",
        object_id=str(request_id),
        payload={
            "name": name,
            "phone": phone,
            "comment": comment,
            "page": page,
            "ip": ip,
            "referer": referer,
            "sent_at": timezone.now().isoformat(),
        },
    )
