"""Шифрование секретов в базе ключами из INTEGRATIONS_SECRET_KEY (Fernet с ротацией).

Общее для всех, кто хранит секреты в базе: подключения интеграций (integrations.core) и
провайдеры входа через соцсети (accounts.oauth). Ключ один — одна процедура ротации.

В переменной — один или несколько ключей Fernet через запятую: первым шифруется всё новое,
остальными только расшифровывается старое. Ротация: добавить новый ключ первым,
выполнить ``manage.py integrations rotate-key``, затем убрать старый ключ.
"""

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class SecretKeyMissing(ImproperlyConfigured):
    """Ключ шифрования не задан, а секреты есть или их нужно сохранить."""


class SecretUndecryptable(ImproperlyConfigured):
    """Секрет зашифрован ключом, которого нет в INTEGRATIONS_SECRET_KEY."""


def fernet_get():
    """Собрать MultiFernet из ключей настройки.

    Raises:
        SecretKeyMissing: ключей нет; ImproperlyConfigured — ключ не в формате Fernet.
    """
    keys = [key.strip() for key in settings.INTEGRATIONS_SECRET_KEY.split(",") if key.strip()]
    if not keys:
        raise SecretKeyMissing(
            "INTEGRATIONS_SECRET_KEY не задан, а в базе есть секреты. Создайте ключ: "
            'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "INTEGRATIONS_SECRET_KEY: каждый ключ — 32 байта в urlsafe base64 (Fernet.generate_key())."
        ) from error


def secrets_encrypt(values):
    """Зашифровать словарь секретов; пустой словарь хранится пустой строкой (ключ не нужен)."""
    if not values:
        return ""
    return fernet_get().encrypt(json.dumps(values, ensure_ascii=False).encode()).decode()


def secrets_decrypt(token):
    """Расшифровать словарь секретов.

    Raises:
        SecretKeyMissing, SecretUndecryptable: ключа нет или он не подходит.
    """
    if not token:
        return {}
    try:
        return json.loads(fernet_get().decrypt(token.encode()))
    except InvalidToken as error:
        raise SecretUndecryptable(
            "Секреты не расшифровываются ни одним ключом из INTEGRATIONS_SECRET_KEY: "
            "вероятно, старый ключ убрали раньше, чем выполнили `manage.py integrations rotate-key`."
        ) from error


def secrets_rotate(token):
    """Перешифровать секреты первым ключом (MultiFernet.rotate); пустая строка остаётся пустой."""
    if not token:
        return ""
    try:
        return fernet_get().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise SecretUndecryptable("Секреты не расшифровываются ни одним ключом.") from error


def secret_mask(text, secrets):
    """Заменить в тексте все значения секретов на ``***`` (для журналов и сообщений об ошибках)."""
    text = str(text)
    for value in secrets:
        if value and len(str(value)) >= 4:
            text = text.replace(str(value), "***")
    return text
