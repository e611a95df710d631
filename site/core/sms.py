"""SMS: интерфейс шлюза на стороне, которая шлёт SMS (входы в аккаунт, уведомления о заказах).

Здесь — базовый класс шлюза, результат и ошибка отправки, выбор шлюза по SMS_BACKEND и
sms_send. Реализации (prostor, console, locmem) — в integrations/sms/backends: интеграции
зависят от этого интерфейса, а не магазин от интеграций. Отправлять SMS — через sms_send, а не
через класс шлюза напрямую.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SmsResult:
    """Результат успешной передачи SMS шлюзу.

    ``message_id`` — идентификатор сообщения у шлюза (для сверки статусов),
    ``parts`` — на сколько SMS разбит текст, ``cost`` — стоимость, если шлюз её сообщил.
    """

    message_id: str
    parts: int = 1
    cost: Decimal | None = None


class SmsDeliveryError(Exception):
    """Шлюз не принял сообщение.

    ``reason`` — стабильная причина для журналов и метрик: ``unavailable`` (шлюз недоступен
    или ответил ошибкой сервера), ``timeout``, ``auth`` (неверные логин или пароль),
    ``no_balance``, ``rejected`` (шлюз отклонил сообщение: номер, отправитель, текст),
    ``bad_response`` (ответ не по протоколу).
    """

    REASONS = ("unavailable", "timeout", "auth", "no_balance", "rejected", "bad_response")

    def __init__(self, reason, detail=""):
        if reason not in self.REASONS:
            raise ValueError(f"Неизвестная причина ошибки SMS: {reason!r}")
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class SmsBackend:
    """Базовый класс SMS-шлюза.

    Наследник реализует :meth:`send`. Конструктор вызывается без аргументов и читает
    настройки сам; при неполных настройках он поднимает ``ImproperlyConfigured`` —
    это проверяется при старте приложения.
    """

    def send(self, *, phone, text, client_id):
        """Отправить одно SMS.

        Args:
            phone: номер получателя в формате E.164 (``+79161234567``).
            text: текст сообщения (UTF-8; длинный текст шлюз делит на части).
            client_id: наш идентификатор сообщения — для идемпотентности и сверки.

        Returns:
            SmsResult: шлюз принял сообщение к отправке.

        Raises:
            SmsDeliveryError: шлюз не принял сообщение или недоступен.
        """
        raise NotImplementedError


def sms_backend_get():
    """Создать шлюз, указанный в SMS_BACKEND.

    Raises:
        ImproperlyConfigured: путь не импортируется, класс не наследует SmsBackend
            или шлюзу не хватает настроек.
    """
    path = settings.SMS_BACKEND
    try:
        backend_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"SMS_BACKEND={path!r}: класс не найден ({error}).") from error
    if not (isinstance(backend_class, type) and issubclass(backend_class, SmsBackend)):
        raise ImproperlyConfigured(f"SMS_BACKEND={path!r}: класс должен наследовать core.sms.SmsBackend.")
    return backend_class()


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
