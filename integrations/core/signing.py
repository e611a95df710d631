"""Подпись тел запросов HMAC-SHA256 (исходящие вебхуки и проверка входящих)."""

import hashlib
import hmac


def hmac_signature(*, secret, body):
    """Вернуть подпись тела в виде ``sha256=<hex>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def hmac_signature_valid(*, secret, body, signature):
    """Проверить подпись за постоянное время."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(hmac_signature(secret=secret, body=body), signature.strip())
