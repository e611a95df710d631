"""Проверка данных Telegram Login Widget.

По документации Telegram (core.telegram.org/widgets/login, «Checking authorization»):
строка проверки — все полученные поля, кроме ``hash``, отсортированные по имени,
в виде ``key=value`` через перевод строки (0x0A); ``hash`` — hex HMAC-SHA-256 этой строки
с ключом SHA-256(токен бота). ``auth_date`` — Unix-время входа: старые данные отвергаем.

Перевод строки внутри значения позволил бы сдвинуть границы полей в строке проверки
(подпись сошлась бы, а поля разобрались бы иначе), поэтому значения с управляющими
символами отвергаются до проверки подписи.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

from accounts.oauth.exceptions import TelegramAuthExpired, TelegramAuthInvalid
from accounts.oauth.providers import ProviderProfile

MAX_FIELDS = 20
MAX_VALUE_LENGTH = 1000
# Часы Telegram и наши могут немного расходиться: auth_date «из будущего» в этих пределах допустим.
CLOCK_SKEW_SECONDS = 60


def current_timestamp():
    """Вернуть текущее время в секундах (одна точка, которую тесты могут сдвинуть)."""
    return time.time()


def data_check_string(fields):
    """Собрать строку проверки из полей виджета (без ``hash``)."""
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def telegram_signature(fields, *, bot_token):
    """Подписать поля так, как их подписывает Telegram (для проверки и для тестов)."""
    secret_key = hashlib.sha256(bot_token.encode()).digest()
    return hmac.new(secret_key, data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def _fields_normalize(raw):
    """Привести поля к строкам, как они были в строке проверки; отвергнуть всё подозрительное."""
    if not isinstance(raw, dict) or not raw or len(raw) > MAX_FIELDS:
        raise TelegramAuthInvalid()
    fields = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not key or not key.isascii() or not key.replace("_", "").isalnum():
            raise TelegramAuthInvalid()
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise TelegramAuthInvalid()
        text = str(value)
        if len(text) > MAX_VALUE_LENGTH or any(ord(char) < 0x20 or ord(char) == 0x7F for char in text):
            raise TelegramAuthInvalid()
        fields[key] = text
    for required in ("id", "auth_date", "hash"):
        if required not in fields:
            raise TelegramAuthInvalid()
    if not fields["id"].isdigit() or not fields["auth_date"].isdigit():
        raise TelegramAuthInvalid()
    return fields


def telegram_auth_verify(raw, *, bot_token):
    """Проверить подпись и свежесть данных виджета и вернуть профиль пользователя Telegram.

    ``bot_token`` — токен бота региона запроса (accounts.oauth.config).
    Один набор данных принимается один раз: повтор (например, из журнала прокси) отвергается.

    Raises:
        TelegramAuthInvalid: поля испорчены, подпись не сошлась или данные уже использованы.
        TelegramAuthExpired: auth_date старше OAUTH_TELEGRAM_AUTH_MAX_AGE_SECONDS.
    """
    fields = _fields_normalize(raw)
    expected = telegram_signature(fields, bot_token=bot_token)
    if not hmac.compare_digest(expected, fields["hash"].lower()):
        raise TelegramAuthInvalid()
    max_age = settings.OAUTH_TELEGRAM_AUTH_MAX_AGE_SECONDS
    age = current_timestamp() - int(fields["auth_date"])
    if age > max_age:
        raise TelegramAuthExpired()
    if age < -CLOCK_SKEW_SECONDS:
        raise TelegramAuthInvalid()
    if not cache.add(f"telegram-auth:{expected}", 1, timeout=max_age + CLOCK_SKEW_SECONDS):
        raise TelegramAuthInvalid()
    first_name, last_name = fields.get("first_name", "")[:150], fields.get("last_name", "")[:150]
    username = fields.get("username", "")
    photo_url = fields.get("photo_url", "")
    return ProviderProfile(
        uid=fields["id"][:64],
        first_name=first_name,
        last_name=last_name,
        display_name=(f"@{username}" if username else f"{first_name} {last_name}".strip())[:300],
        avatar_url=photo_url if photo_url.startswith("https://") else "",
    )
