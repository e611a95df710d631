"""Шлюз для тестов: складывает SMS в список в памяти процесса."""

import uuid
from dataclasses import dataclass

from core.sms import SmsBackend, SmsResult


@dataclass(frozen=True)
class OutboxMessage:
    """Сообщение, «отправленное» через LocmemSmsBackend."""

    phone: str
    text: str
    client_id: str


# Как django.core.mail.outbox: тесты читают и очищают этот список.
outbox: list[OutboxMessage] = []


class LocmemSmsBackend(SmsBackend):
    """Сохранить SMS в :data:`outbox` вместо отправки."""

    def send(self, *, phone, text, client_id):
        outbox.append(OutboxMessage(phone=str(phone), text=text, client_id=client_id))
        return SmsResult(message_id=f"locmem-{uuid.uuid4().hex}")
