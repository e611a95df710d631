"""Отправка SMS через настроенный шлюз."""

import logging

from integrations.sms.base import SmsDeliveryError
from integrations.sms.loading import sms_backend_get

logger = logging.getLogger(__name__)


def sms_send(*, phone, text, client_id):
    """Отправить SMS через шлюз из SMS_BACKEND и записать исход в журнал.

    Номер в журнал попадает замаскированным, текст — никогда: в нём одноразовые коды.

    Returns:
        SmsResult: шлюз принял сообщение.

    Raises:
        SmsDeliveryError: шлюз не принял сообщение (уже записано в журнал).
    """
    backend = sms_backend_get()
    masked = phone_mask(phone)
    try:
        result = backend.send(phone=phone, text=text, client_id=client_id)
    except SmsDeliveryError as error:
        logger.warning("SMS %s на %s не отправлено: %s", client_id, masked, error)
        raise
    logger.info("SMS %s на %s принято шлюзом, id=%s, частей=%s", client_id, masked, result.message_id, result.parts)
    return result


def phone_mask(phone):
    """Скрыть середину номера для журналов: +7916*****67."""
    phone = str(phone)
    if len(phone) <= 6:
        return "*" * len(phone)
    return phone[:5] + "*" * (len(phone) - 7) + phone[-2:]
