"""Шлюз для разработки: печатает SMS в журнал вместо отправки."""

import logging
import uuid

from core.sms import SmsBackend, SmsResult

logger = logging.getLogger(__name__)


class ConsoleSmsBackend(SmsBackend):
    """Записать SMS в журнал (уровень WARNING, чтобы было видно в консоли `make run`).

    Не используйте в production: коды входа окажутся в журналах.
    """

    def send(self, *, phone, text, client_id):
        logger.warning("SMS для %s (%s): %s", phone, client_id, text)
        return SmsResult(message_id=f"console-{uuid.uuid4().hex}")
