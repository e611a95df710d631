"""Универсальный исходящий вебхук: каждое событие — POST JSON на адрес подключения с подписью HMAC.

Подходит для своих сервисов магазина, Zapier/Make, n8n и любого получателя, который умеет
принимать JSON. Заголовки запроса:

* ``Idempotency-Key`` — один и тот же при повторной доставке события этому подключению;
* ``X-Megashop-Event`` — вид события (``order.paid``);
* ``X-Megashop-Signature`` — ``sha256=<hex>``, HMAC-SHA256 тела ключом ``signing_secret``.
"""

import json

from django.utils.translation import gettext_lazy as _

from integrations.core.registry import CheckResult, DeliveryError, System
from integrations.core.signing import hmac_signature


class WebhookSystem(System):
    code = "webhook"
    name = _("Вебхук (JSON POST)")
    # Своих настроек нет: events и rate_limit — общие настройки ядра.
    options_schema = {"type": "object", "additionalProperties": False}
    secret_fields = {"signing_secret": _("Ключ подписи (HMAC)")}
    events = ("*",)

    def _post(self, *, connection, client, document, headers):
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        secret = connection.secrets_get().get("signing_secret", "") if connection.secrets_encrypted else ""
        headers = {"Content-Type": "application/json", **headers}
        if secret:
            headers["X-Megashop-Signature"] = hmac_signature(secret=secret, body=body)
        return client.post("", data=body, headers=headers)

    def check(self, *, connection, client):
        """Отправить на адрес событие ``ping`` и ждать ответа 2xx."""
        if not connection.base_url:
            return CheckResult(False, str(_("Не задан адрес получателя.")))
        response = self._post(
            connection=connection, client=client, document={"kind": "ping"}, headers={"X-Megashop-Event": "ping"}
        )
        return CheckResult(True, str(_("Получатель ответил %(status)s.")) % {"status": response.status_code})

    def deliver(self, *, connection, event, idempotency_key, client):
        if not connection.base_url:
            raise DeliveryError(str(_("Не задан адрес получателя.")), permanent=True)
        document = {
            "id": str(event.uuid),
            "kind": event.kind,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "created_at": event.created_at.isoformat(),
            "data": event.payload,
        }
        self._post(
            connection=connection,
            client=client,
            document=document,
            headers={"Idempotency-Key": idempotency_key, "X-Megashop-Event": event.kind},
        )
