"""Подпись вебхуков Frappe: ``X-Frappe-Webhook-Signature`` = base64(HMAC-SHA256(секрет, тело)).

Frappe подписывает ровно те байты, что отправляет (``json.dumps`` данных), поэтому проверяется
сырое тело запроса. Hex-подпись и префикс ``sha256=`` (так ошибаются многие приёмники) не
принимаются: Frappe их никогда не шлёт.
"""

import base64
import hashlib
import hmac

HEADER = "X-Frappe-Webhook-Signature"


def frappe_signature(*, secret, body):
    """Вернуть подпись тела так, как её считает Frappe (base64 от HMAC-SHA256)."""
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


def frappe_signature_valid(*, secret, body, signature):
    """Проверить подпись за постоянное время; без секрета или подписи — неверна."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(frappe_signature(secret=secret, body=body).encode(), signature.strip().encode())
