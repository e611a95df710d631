"""Шлюз Prostor SMS (prostor-sms.ru): JSON-интерфейс v2 платформы iqsms.

Протокол: POST ``{SMS_PROSTOR_URL}/messages/v2/send.json`` с JSON-телом, учётные данные —
в теле запроса. Ответ — ``{"status": "ok", "messages": [...]}`` или
``{"status": "error", "description": "..."}``. Подробности — docs/sysadmin/sms.md.
"""

import logging
from decimal import Decimal, InvalidOperation

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.sms import SmsBackend, SmsDeliveryError, SmsResult

logger = logging.getLogger(__name__)

SEND_PATH = "/messages/v2/send.json"
# Статус сообщения «принято к отправке»; всё остальное в ответе на send — ошибка.
ACCEPTED = "accepted"
# Статусы сообщений и описания ошибок шлюза, означающие нехватку денег на счёте.
NO_BALANCE_MARKERS = ("not enough balance", "balance")
# Описания ошибок уровня запроса, означающие неверные логин или пароль.
AUTH_MARKERS = ("auth", "login", "password")


class ProstorSmsBackend(SmsBackend):
    """Отправить SMS через Prostor SMS.

    Настройки: SMS_PROSTOR_LOGIN, SMS_PROSTOR_PASSWORD, SMS_PROSTOR_SENDER (имя отправителя,
    согласованное в личном кабинете), SMS_PROSTOR_URL, SMS_PROSTOR_TIMEOUT (секунды).
    """

    def __init__(self):
        self.login = settings.SMS_PROSTOR_LOGIN
        self.password = settings.SMS_PROSTOR_PASSWORD
        self.sender = settings.SMS_PROSTOR_SENDER
        self.base_url = settings.SMS_PROSTOR_URL.rstrip("/")
        self.timeout = settings.SMS_PROSTOR_TIMEOUT
        missing = [
            name
            for name, value in (("SMS_PROSTOR_LOGIN", self.login), ("SMS_PROSTOR_PASSWORD", self.password))
            if not value
        ]
        if missing:
            raise ImproperlyConfigured(
                f"Шлюз Prostor SMS выбран в SMS_BACKEND, но не заданы: {', '.join(missing)} (см. .env.example)."
            )
        if not self.base_url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_PROSTOR_URL должен начинаться с https:// или http://.")

    def send(self, *, phone, text, client_id):
        message = {
            "phone": str(phone),  # номер получателя, +7XXXXXXXXXX
            "clientId": client_id,  # наш идентификатор сообщения, шлюз вернёт его в ответе
            "text": text,  # текст в UTF-8; длинный шлюз делит на части
        }
        if self.sender:
            message["sender"] = self.sender  # подпись отправителя, согласованная с шлюзом
        body = {"login": self.login, "password": self.password, "messages": [message]}
        data = self._post(SEND_PATH, body)
        return self._parse_send_response(data, client_id=client_id)

    def _post(self, path, body):
        """Отправить JSON-запрос шлюзу и вернуть разобранный JSON-ответ."""
        try:
            response = requests.post(f"{self.base_url}{path}", json=body, timeout=self.timeout)
        except requests.Timeout as error:
            raise SmsDeliveryError("timeout", f"нет ответа за {self.timeout} с") from error
        except requests.RequestException as error:
            raise SmsDeliveryError("unavailable", type(error).__name__) from error
        if response.status_code in (401, 403):
            raise SmsDeliveryError("auth", f"HTTP {response.status_code}")
        if response.status_code >= 500:
            raise SmsDeliveryError("unavailable", f"HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError as error:
            raise SmsDeliveryError("bad_response", f"HTTP {response.status_code}, не JSON") from error
        if not isinstance(data, dict):
            raise SmsDeliveryError("bad_response", "ответ не JSON-объект")
        return data

    def _parse_send_response(self, data, *, client_id):
        """Разобрать ответ на send.json: ошибку запроса или статус нашего сообщения."""
        if data.get("status") != "ok":
            description = str(data.get("description", ""))
            raise SmsDeliveryError(self._classify(description), description)
        messages = data.get("messages")
        if not isinstance(messages, list) or not messages or not isinstance(messages[0], dict):
            raise SmsDeliveryError("bad_response", "нет списка messages")
        message = messages[0]
        status = str(message.get("status", ""))
        if status != ACCEPTED:
            raise SmsDeliveryError(self._classify(status, default="rejected"), status)
        return SmsResult(
            message_id=str(message.get("smscId", "")),
            parts=_as_int(message.get("smsCount"), default=1),
            cost=_as_decimal(message.get("msgCost")),
        )

    @staticmethod
    def _classify(description, default="rejected"):
        """Перевести текст ошибки шлюза в стабильную причину SmsDeliveryError."""
        lowered = description.lower()
        if any(marker in lowered for marker in NO_BALANCE_MARKERS):
            return "no_balance"
        if any(marker in lowered for marker in AUTH_MARKERS):
            return "auth"
        return default


def _as_int(value, *, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _as_decimal(value):
    if value is None:
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
