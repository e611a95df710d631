"""Локальный поддельный сервер ЮKassa API v3 для тестов (pytest-httpserver на 127.0.0.1).

Говорит на протоколе из спецификации: Basic-авторизация, обязательный Idempotence-Key на
POST (повтор с тем же ключом и телом — тот же ответ, с другим телом — 400), суммы строками,
платёж pending → waiting_for_capture → succeeded | canceled, возвраты, ответ 202, ошибки.
"""

import base64
import hashlib
import json
import re
import threading
import time
import uuid
from decimal import Decimal

from werkzeug.wrappers import Response

API_PREFIX = "/v3"


class FakeYooKassa:
    """Поддельная ЮKassa с состоянием и ручками для сценариев тестов."""

    def __init__(self, httpserver, *, shop_id="100500", secret_key="test_secret_key"):
        self.httpserver = httpserver
        self.shop_id = shop_id
        self.secret_key = secret_key
        self.payments = {}
        self.refunds = {}
        self.idempotency = {}
        self.requests = []
        self.lock = threading.Lock()
        # Сценарии сбоев: следующие N ответов — этим кодом / с задержкой / не JSON / 202.
        self.fail_next = []
        self.delay_next = []
        self.malformed_next = 0
        self.accepted_next = 0
        httpserver.expect_request(re.compile(rf"^{API_PREFIX}/.*")).respond_with_handler(self.handle)

    @property
    def base_url(self):
        return self.httpserver.url_for(API_PREFIX)

    # --- ручки для тестов -------------------------------------------------------------------

    def set_status(self, payment_id, status, **extra):
        """Перевести платёж в статус, как это сделала бы ЮKassa после действий покупателя."""
        with self.lock:
            payment = self.payments[payment_id]
            payment["status"] = status
            payment["paid"] = status in {"waiting_for_capture", "succeeded"}
            payment.update(extra)

    def notification(self, payment_id, event=None):
        """Тело уведомления о платеже, как его шлёт ЮKassa."""
        payment = self.payments[payment_id]
        return {"type": "notification", "event": event or f"payment.{payment['status']}", "object": payment}

    def posts(self, path_suffix):
        """Все POST-запросы к пути, оканчивающемуся на path_suffix."""
        return [item for item in self.requests if item["method"] == "POST" and item["path"].endswith(path_suffix)]

    # --- протокол ---------------------------------------------------------------------------

    def handle(self, request):
        body_bytes = request.get_data()
        with self.lock:
            self.requests.append(
                {
                    "method": request.method,
                    "path": request.path,
                    "headers": dict(request.headers),
                    "body": json.loads(body_bytes) if body_bytes else None,
                }
            )
            delay = self.delay_next.pop(0) if self.delay_next else 0
        if delay:
            time.sleep(delay)
        if not self._authorized(request):
            return self._error(401, "invalid_credentials", "Authentication by given credentials failed")
        with self.lock:
            if self.fail_next:
                return self._error(self.fail_next.pop(0), "internal_server_error", "Internal server error")
            if self.malformed_next:
                self.malformed_next -= 1
                return Response("<html>502 Bad Gateway</html>", status=200, content_type="text/html")
            if self.accepted_next:
                self.accepted_next -= 1
                return self._json(202, {"type": "processing", "retry_after": 10})
            return self._route(request, body_bytes)

    def _authorized(self, request):
        expected = base64.b64encode(f"{self.shop_id}:{self.secret_key}".encode()).decode()
        return request.headers.get("Authorization") == f"Basic {expected}"

    def _route(self, request, body_bytes):
        path = request.path[len(API_PREFIX) :]
        if request.method == "POST":
            key = request.headers.get("Idempotence-Key")
            if not key:
                return self._error(400, "invalid_request", "Idempotence-Key header is required")
            fingerprint = hashlib.sha256(path.encode() + body_bytes).hexdigest()
            if key in self.idempotency:
                stored_fingerprint, status, payload = self.idempotency[key]
                if stored_fingerprint != fingerprint:
                    return self._error(400, "invalid_request", "Idempotence key duplicated with another request")
                return self._json(status, payload)
            status, payload = self._post(path, json.loads(body_bytes or b"{}"))
            if status < 500:
                self.idempotency[key] = (fingerprint, status, payload)
            return self._json(status, payload)
        if request.method == "GET":
            match = re.fullmatch(r"/(payments|refunds)/([\w-]+)", path)
            if match:
                store = self.payments if match.group(1) == "payments" else self.refunds
                if match.group(2) in store:
                    return self._json(200, store[match.group(2)])
            return self._error(404, "not_found", "Object not found")
        return self._error(405, "method_not_allowed", "Method not allowed")

    def _post(self, path, body):
        if path == "/payments":
            return self._create_payment(body)
        match = re.fullmatch(r"/payments/([\w-]+)/(capture|cancel)", path)
        if match:
            payment = self.payments.get(match.group(1))
            if payment is None:
                return 404, self._error_body("not_found", "Payment not found")
            if match.group(2) == "capture":
                if payment["status"] != "waiting_for_capture":
                    return 400, self._error_body("invalid_request", "Payment is not waiting for capture")
                payment.update(status="succeeded", paid=True)
            else:
                if payment["status"] in {"succeeded", "canceled"}:
                    return 400, self._error_body("invalid_request", "Payment is final")
                payment.update(
                    status="canceled",
                    cancellation_details={"party": "merchant", "reason": "canceled_by_merchant"},
                )
            return 200, payment
        if path == "/refunds":
            return self._create_refund(body)
        return 404, self._error_body("not_found", "Unknown path")

    def _create_payment(self, body):
        try:
            amount = Decimal(body["amount"]["value"])
        except (KeyError, ArithmeticError, TypeError):
            return 400, self._error_body("invalid_request", "Amount is invalid", parameter="amount.value")
        receipt = body.get("receipt")
        if receipt is not None:
            items_total = sum(Decimal(item["amount"]["value"]) * Decimal(item["quantity"]) for item in receipt["items"])
            if items_total != amount:
                return 400, self._error_body("invalid_request", "Receipt total mismatch", parameter="receipt")
            if not (receipt.get("customer", {}).get("email") or receipt.get("customer", {}).get("phone")):
                return 400, self._error_body("invalid_request", "Customer contact required", parameter="receipt")
        payment_id = str(uuid.uuid4())
        payment = {
            "id": payment_id,
            "status": "pending",
            "paid": False,
            "amount": body["amount"],
            "confirmation": {
                "type": "redirect",
                "confirmation_url": f"https://yoomoney.example/checkout/payments/v2/contract?orderId={payment_id}",
            },
            "created_at": "2026-11-26T12:00:00.000Z",
            "description": body.get("description", ""),
            "metadata": body.get("metadata", {}),
            "recipient": {"account_id": self.shop_id, "gateway_id": "1"},
            "refundable": False,
            "test": True,
        }
        self.payments[payment_id] = payment
        return 200, payment

    def _create_refund(self, body):
        payment = self.payments.get(body.get("payment_id"))
        if payment is None:
            return 404, self._error_body("not_found", "Payment not found")
        amount = Decimal(body["amount"]["value"])
        refunded = Decimal(payment.get("refunded_amount", {}).get("value", "0"))
        if payment["status"] != "succeeded" or refunded + amount > Decimal(payment["amount"]["value"]):
            return 400, self._error_body("invalid_request", "Refund amount exceeds payment", parameter="amount")
        payment["refunded_amount"] = {"value": f"{refunded + amount:.2f}", "currency": payment["amount"]["currency"]}
        refund = {
            "id": str(uuid.uuid4()),
            "payment_id": payment["id"],
            "status": "succeeded",
            "amount": body["amount"],
            "created_at": "2026-11-26T12:30:00.000Z",
            "description": body.get("description", ""),
        }
        self.refunds[refund["id"]] = refund
        return 200, refund

    @staticmethod
    def _error_body(code, description, parameter=None):
        body = {"type": "error", "id": str(uuid.uuid4()), "code": code, "description": description}
        if parameter:
            body["parameter"] = parameter
        return body

    def _error(self, status, code, description):
        return self._json(status, self._error_body(code, description))

    @staticmethod
    def _json(status, payload):
        return Response(json.dumps(payload), status=status, content_type="application/json")
