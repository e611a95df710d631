"""Интерфейс SMS-шлюза: базовый класс, результат отправки и ошибка доставки."""

from dataclasses import dataclass
from decimal import Decimal


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
