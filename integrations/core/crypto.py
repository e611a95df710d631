"""Шифрование секретов подключений: общая реализация в core.crypto (её же использует вход через соцсети).

Модуль оставлен, чтобы коннекторы импортировали шифрование из своего ядра, как раньше.
"""

from core.crypto import (  # noqa: F401 — переэкспорт для коннекторов
    SecretKeyMissing,
    SecretUndecryptable,
    secret_mask,
    secrets_decrypt,
    secrets_encrypt,
    secrets_rotate,
)
