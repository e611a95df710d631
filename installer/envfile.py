"""Файл окружения /etc/megashop/megashop.env: чтение, секреты, слияние без потери правок.

Формат понимают и systemd (EnvironmentFile), и docker compose (env_file): строки
``КЛЮЧ=значение``, комментарии с ``#``; значение с пробелами или спецсимволами — в двойных
кавычках. Секреты создаются один раз: повторный запуск их не меняет, строки, которые
администратор дописал сам, и комментарии остаются на месте.
"""

import base64
import re
import secrets

SECRET_KEYS = (
    "SECRET_KEY",
    "JWT_SIGNING_KEY",
    "POSTGRES_PASSWORD",
    "INTEGRATIONS_SECRET_KEY",
    "DJANGO_SUPERUSER_PASSWORD",
)
_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$")
_PLAIN = re.compile(r"^[A-Za-z0-9_@%+=:,./<>-]*$")

HEADER = (
    "# Megashop: настройки сервера. Файл создан ./install.sh; права 0600, владелец root.\n"
    "# Секреты созданы один раз и повторной установкой не меняются. Свои переменные можно\n"
    "# дописывать (список — .env.example); после правки: systemctl restart megashop.target\n"
)


def secret_generate(name):
    """Создать значение секрета name (ключ Fernet для INTEGRATIONS_SECRET_KEY)."""
    if name == "INTEGRATIONS_SECRET_KEY":
        return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")
    if name in ("POSTGRES_PASSWORD", "DJANGO_SUPERUSER_PASSWORD"):
        return secrets.token_urlsafe(18)
    return secrets.token_urlsafe(64)


def _unquote(raw):
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1]
    return value


def _quote(value):
    if _PLAIN.match(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def envfile_parse(text):
    """Вернуть {ключ: значение} из текста файла окружения (последнее значение ключа побеждает)."""
    values = {}
    for line in text.splitlines():
        match = _LINE.match(line)
        if match:
            values[match.group(1)] = _unquote(match.group(2))
    return values


def envfile_merge(existing_text, updates, *, header=HEADER):
    """Вернуть текст файла: existing_text с обновлёнными и дописанными ключами из updates.

    Строки с известными ключами заменяются на месте, остальное (комментарии, ключи
    администратора) не трогается; новые ключи дописываются в конец в порядке updates.
    """
    lines = existing_text.splitlines() if existing_text else header.rstrip("\n").splitlines()
    pending = dict(updates)
    result = []
    for line in lines:
        match = _LINE.match(line)
        if match and match.group(1) in pending:
            key = match.group(1)
            result.append(f"{key}={_quote(pending.pop(key))}")
        else:
            result.append(line)
    result.extend(f"{key}={_quote(value)}" for key, value in pending.items())
    return "\n".join(result) + "\n"


def secrets_ensure(existing):
    """Вернуть (секреты, созданные_сейчас): имеющиеся из existing, недостающие — новые."""
    values, created = {}, []
    for name in SECRET_KEYS:
        if existing.get(name):
            values[name] = existing[name]
        else:
            values[name] = secret_generate(name)
            created.append(name)
    return values, created


# Что скрывается при печати файла (--dry-run): секреты и строки, где пароль встроен в адрес.
REDACTED = (*SECRET_KEYS, "DATABASE_URL", "EMAIL_HOST_PASSWORD", "SMS_PROSTOR_PASSWORD")
