"""ЮKassa (API v3): платежи с подтверждением по redirect, чеки 54-ФЗ, возвраты, уведомления.

Протокол (../shared/specs, раздел 6): Basic-авторизация shopId:секретный ключ; каждый
меняющий состояние POST несёт заголовок Idempotence-Key — повтор с тем же ключом возвращает
исходный результат, а не второй платёж; суммы — строки с двумя знаками; ответ 202 значит
«ещё обрабатывается, повторите тот же запрос». Уведомления не подписаны: им верят, только
если адрес отправителя — из опубликованных сетей ЮKassa, а состояние платежа затем
перечитывается GET-запросом (это делает сервис платежей).
"""

import ipaddress
import json
import logging
import time
from decimal import Decimal, InvalidOperation

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from commerce.payments.providers.base import (
    PaymentProvider,
    PaymentStatus,
    ProviderError,
    ProviderPayment,
    ProviderRefund,
    RefundStatus,
    WebhookNotice,
    WebhookRejected,
)

logger = logging.getLogger(__name__)

# Статусы ЮKassa → наши. «canceled» у ЮKassa пишется с одной «l».
PAYMENT_STATUSES = {
    "pending": PaymentStatus.PENDING,
    "waiting_for_capture": PaymentStatus.WAITING_FOR_CAPTURE,
    "succeeded": PaymentStatus.SUCCEEDED,
    "canceled": PaymentStatus.CANCELLED,
}
REFUND_STATUSES = {
    "pending": RefundStatus.PENDING,
    "succeeded": RefundStatus.SUCCEEDED,
    "canceled": RefundStatus.CANCELLED,
}
# События уведомлений, которые мы обрабатываем.
KNOWN_EVENTS = frozenset({"payment.waiting_for_capture", "payment.succeeded", "payment.canceled", "refund.succeeded"})
# Коды ошибок HTTP ЮKassa, после которых повтор с тем же ключом может помочь.
RETRYABLE_STATUS_CODES = frozenset({429, 500, 502, 503, 504})
# Сколько раз повторить запрос, на который ЮKassa ответила 202 «ещё обрабатывается».
ACCEPTED_RETRIES = 3
MAX_RETRY_DELAY_SECONDS = 2.0


def money_string(value):
    """Сумма для ЮKassa: строка с двумя знаками после точки («1500.00»)."""
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


def receipt_payload(receipt):
    """Собрать объект receipt (54-ФЗ) для запроса ЮKassa."""
    customer = {}
    if receipt.customer_email:
        customer["email"] = receipt.customer_email  # e-mail для чека
    if receipt.customer_phone:
        customer["phone"] = receipt.customer_phone.lstrip("+")  # телефон 7XXXXXXXXXX, без «+»
    if receipt.customer_name:
        customer["full_name"] = receipt.customer_name[:256]
    payload = {
        "customer": customer,
        "items": [
            {
                "description": item.description[:128],  # наименование, не длиннее 128 символов
                "quantity": f"{Decimal(item.quantity).quantize(Decimal('0.001')).normalize():f}",
                "amount": {"value": money_string(item.unit_price), "currency": "RUB"},  # цена за единицу
                "vat_code": item.vat_code,  # ставка НДС: 1 без НДС … 11 — 22%
                "payment_subject": item.payment_subject,  # предмет расчёта: commodity, service
                "payment_mode": item.payment_mode,  # способ расчёта: full_prepayment, full_payment
                **({"measure": item.measure} if item.measure else {}),
            }
            for item in receipt.items
        ],
    }
    if receipt.tax_system_code:
        payload["tax_system_code"] = receipt.tax_system_code  # система налогообложения 1–6
    return payload


class YooKassaClient:
    """Тонкий HTTP-клиент API v3: авторизация, ключи идемпотентности, 202, разбор ошибок."""

    def __init__(self, *, base_url, shop_id, secret_key, timeout, session=None):
        self.base_url = base_url.rstrip("/")
        self.auth = (shop_id, secret_key)
        self.timeout = timeout
        self.session = session or requests.Session()

    def request(self, method, path, *, body=None, idempotence_key=None):
        """Выполнить запрос и вернуть разобранный JSON; ошибки — ProviderError."""
        headers = {"Accept": "application/json"}
        if idempotence_key:
            headers["Idempotence-Key"] = idempotence_key
        for attempt in range(ACCEPTED_RETRIES + 1):
            response = self._send(method, path, body=body, headers=headers)
            data = self._json(response)
            if response.status_code != 202:
                break
            # 202: операция ещё идёт — повторяем тот же запрос с тем же ключом.
            if attempt == ACCEPTED_RETRIES:
                raise ProviderError("processing", "ЮKassa ещё обрабатывает запрос", retryable=True, raw=data)
            delay_ms = data.get("retry_after", 200) if isinstance(data, dict) else 200
            time.sleep(min(max(float(delay_ms) / 1000, 0.0), MAX_RETRY_DELAY_SECONDS))
        if response.status_code >= 400:
            code = data.get("code", f"http_{response.status_code}") if isinstance(data, dict) else "error"
            raise ProviderError(
                str(code),
                f"ЮKassa: HTTP {response.status_code} {code}",
                retryable=response.status_code in RETRYABLE_STATUS_CODES,
                raw=data if isinstance(data, dict) else {},
            )
        if not isinstance(data, dict):
            raise ProviderError("bad_response", "ЮKassa: ответ не объект JSON", retryable=True)
        return data

    def _send(self, method, path, *, body, headers):
        try:
            return self.session.request(
                method, f"{self.base_url}{path}", json=body, headers=headers, auth=self.auth, timeout=self.timeout
            )
        except requests.Timeout as error:
            raise ProviderError("timeout", f"ЮKassa не ответила за {self.timeout} с", retryable=True) from error
        except requests.RequestException as error:
            raise ProviderError("unavailable", f"ЮKassa недоступна: {type(error).__name__}", retryable=True) from error

    @staticmethod
    def _json(response):
        try:
            return response.json()
        except ValueError as error:
            raise ProviderError(
                "bad_response", f"ЮKassa: HTTP {response.status_code}, ответ не JSON", retryable=True
            ) from error


def _decimal(value, field_name):
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ProviderError("bad_response", f"ЮKassa: поле {field_name} не число") from error


def payment_from_response(data):
    """Перевести объект платежа ЮKassa в ProviderPayment, проверив обязательные поля."""
    try:
        payment_id = data["id"]
        status = PAYMENT_STATUSES[data["status"]]
        amount = data["amount"]
        value, currency = amount["value"], amount["currency"]
    except (KeyError, TypeError) as error:
        raise ProviderError("bad_response", f"ЮKassa: в платеже нет поля {error}", retryable=True, raw=data) from error
    if not isinstance(payment_id, str) or not payment_id:
        raise ProviderError("bad_response", "ЮKassa: пустой id платежа", retryable=True, raw=data)
    confirmation = data.get("confirmation") or {}
    refunded = data.get("refunded_amount") or {}
    return ProviderPayment(
        provider_payment_id=payment_id,
        status=status,
        amount=_decimal(value, "amount.value"),
        currency=str(currency),
        confirmation_url=confirmation.get("confirmation_url", "") if isinstance(confirmation, dict) else "",
        metadata=data.get("metadata") or {},
        cancellation_reason=(data.get("cancellation_details") or {}).get("reason", ""),
        refunded_amount=_decimal(refunded.get("value", "0"), "refunded_amount.value"),
        raw=data,
    )


def refund_from_response(data):
    """Перевести объект возврата ЮKassa в ProviderRefund."""
    try:
        return ProviderRefund(
            provider_refund_id=data["id"],
            provider_payment_id=data["payment_id"],
            status=REFUND_STATUSES[data["status"]],
            amount=_decimal(data["amount"]["value"], "amount.value"),
            currency=data["amount"]["currency"],
            raw=data,
        )
    except (KeyError, TypeError) as error:
        raise ProviderError("bad_response", f"ЮKassa: в возврате нет поля {error}", retryable=True, raw=data) from error


def parse_networks(values):
    """Разобрать список сетей и адресов (строки) в объекты ipaddress."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(f"YOOKASSA_WEBHOOK_NETWORKS: «{value}» — не IP-адрес и не сеть.") from error
    return networks


class YooKassaProvider(PaymentProvider):
    """Провайдер ЮKassa. Настройки: YOOKASSA_* (см. .env.example и docs/sysadmin/payments.md)."""

    code = "yookassa"
    is_online = True
    supports_webhooks = True
    name = _("ЮKassa")
    # Способы на платёжной странице ЮKassa (confirmation.type = redirect): выбирает покупатель.
    methods = (("bank_card", _("Банковская карта")), ("sbp", _("СБП")), ("sberbank", _("SberPay")))

    def __init__(self, *, session=None):
        missing = [name for name in ("YOOKASSA_SHOP_ID", "YOOKASSA_SECRET_KEY") if not getattr(settings, name)]
        if missing:
            raise ImproperlyConfigured(
                f"Провайдер ЮKassa включён, но не заданы: {', '.join(missing)} (см. .env.example)."
            )
        self.client = YooKassaClient(
            base_url=settings.YOOKASSA_API_URL,
            shop_id=settings.YOOKASSA_SHOP_ID,
            secret_key=settings.YOOKASSA_SECRET_KEY,
            timeout=settings.YOOKASSA_TIMEOUT,
            session=session,
        )
        self.webhook_networks = parse_networks(settings.YOOKASSA_WEBHOOK_NETWORKS)

    def payment_create(self, request):
        body = {
            "amount": {"value": money_string(request.amount), "currency": request.currency},
            "capture": request.capture,  # true — одностадийный платёж, false — с подтверждением
            "confirmation": {"type": "redirect", "return_url": request.return_url},
            "description": request.description[:128],
            "metadata": {"order_number": request.order_number, **request.metadata},
        }
        if request.receipt is not None:
            body["receipt"] = receipt_payload(request.receipt)
        data = self.client.request("POST", "/payments", body=body, idempotence_key=request.idempotence_key)
        return payment_from_response(data)

    def payment_fetch(self, provider_payment_id):
        return payment_from_response(self.client.request("GET", f"/payments/{provider_payment_id}"))

    def payment_capture(self, provider_payment_id, *, amount, currency, idempotence_key):
        body = {"amount": {"value": money_string(amount), "currency": currency}}
        data = self.client.request(
            "POST", f"/payments/{provider_payment_id}/capture", body=body, idempotence_key=idempotence_key
        )
        return payment_from_response(data)

    def payment_cancel(self, provider_payment_id, *, idempotence_key):
        data = self.client.request(
            "POST", f"/payments/{provider_payment_id}/cancel", body={}, idempotence_key=idempotence_key
        )
        return payment_from_response(data)

    def refund_create(self, provider_payment_id, *, amount, currency, description, idempotence_key, receipt=None):
        body = {
            "payment_id": provider_payment_id,
            "amount": {"value": money_string(amount), "currency": currency},
            "description": description[:250],
        }
        if receipt is not None:
            body["receipt"] = receipt_payload(receipt)
        return refund_from_response(self.client.request("POST", "/refunds", body=body, idempotence_key=idempotence_key))

    def refund_fetch(self, provider_refund_id):
        """Получить текущее состояние возврата."""
        return refund_from_response(self.client.request("GET", f"/refunds/{provider_refund_id}"))

    def webhook_parse(self, *, body, client_ip):
        try:
            address = ipaddress.ip_address(client_ip)
        except ValueError as error:
            raise WebhookRejected("source_not_allowed", "Адрес отправителя не разобрать.") from error
        if not any(address in network for network in self.webhook_networks):
            raise WebhookRejected("source_not_allowed", f"Адрес {client_ip} не из сетей ЮKassa.")
        try:
            data = json.loads(body)
            event = data["event"]
            object_id = data["object"]["id"]
        except (ValueError, KeyError, TypeError) as error:
            raise WebhookRejected("malformed", "Тело уведомления не разобрать.") from error
        if data.get("type") != "notification" or event not in KNOWN_EVENTS:
            raise WebhookRejected("unknown_event", f"Неизвестное событие {event!r}.")
        if not isinstance(object_id, str) or not object_id or len(object_id) > 64:
            raise WebhookRejected("malformed", "В уведомлении нет id объекта.")
        return WebhookNotice(event=event, object_type=event.split(".", 1)[0], object_id=object_id)
