"""Ключи API: выпуск (секрет показывается один раз), проверка по хешу, отзыв.

Ключ — строка ``msk_<префикс>.<секрет>``: префикс (8 символов) ищет строку в базе, секрет
(32 байта случайности) хранится только хешем SHA-256 и сравнивается за постоянное время.
Медленный хеш паролей здесь не нужен: секрет случайный и длинный, перебор по словарю невозможен.
"""

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from staffapi.models import ApiKey

KEY_PREFIX = "msk_"


def _hash(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, name, owner, group):
    """Выпустить ключ API владельцу с правами группы.

    Returns:
        (ApiKey, str) — строка ключа и полный ключ; полный ключ больше нигде не хранится.
    """
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(name=name, owner=owner, group=group, prefix=prefix, secret_hash=_hash(secret))
    return key, f"{KEY_PREFIX}{prefix}.{secret}"


def api_key_authenticate(*, raw_key):
    """Найти действующий ключ по его полной строке или вернуть None (неверный, отозванный)."""
    if not raw_key.startswith(KEY_PREFIX) or "." not in raw_key:
        return None
    prefix, _dot, secret = raw_key[len(KEY_PREFIX) :].partition(".")
    key = ApiKey.objects.select_related("owner", "group").filter(prefix=prefix, revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(secret)):
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        # Отметка «последнее использование» — не чаще раза в минуту: не писать в базу на каждый запрос.
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


@transaction.atomic
def api_key_revoke(*, key):
    """Отозвать ключ (идемпотентно): следующие запросы с ним получат 401."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def api_key_permission_codes(*, key):
    """Коды прав «приложение.право» группы ключа (одним запросом)."""
    return {
        f"{app_label}.{codename}"
        for app_label, codename in key.group.permissions.values_list("content_type__app_label", "codename")
    }
