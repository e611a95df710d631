"""Состояние входа через OAuth: state и PKCE verifier на сервере, в кэше (Redis), одноразово.

Витрина живёт на другом домене и cookies не шлёт, поэтому всё, что OAuth обычно держит
в сессии, лежит в кэше под ключом ``oauth-state:<state>`` не дольше OAUTH_STATE_TTL_SECONDS
(10 минут). Запись забирает ровно один запрос: ``cache.delete`` в Redis (DEL) и в кэше
в памяти атомарен и сообщает, удалил ли он ключ, — из параллельных запросов с одним state
дальше идёт только тот, чьё удаление сработало.
"""

import base64
import hashlib
import secrets
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache

PURPOSE_LOGIN = "login"
PURPOSE_LINK = "link"


@dataclass(frozen=True)
class OAuthState:
    """Что запомнено при старте входа: провайдер, адрес возврата, PKCE verifier, цель."""

    provider: str
    redirect_uri: str
    code_verifier: str
    purpose: str = PURPOSE_LOGIN
    # Для привязки из личного кабинета — кто начал; завершить может только он.
    user_id: int | None = None


def _key(state):
    return f"oauth-state:{state}"


def pkce_challenge(code_verifier):
    """Вычислить code_challenge метода S256: base64url(SHA-256(verifier)) без «=» (RFC 7636)."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def oauth_state_issue(*, provider, redirect_uri, purpose=PURPOSE_LOGIN, user_id=None):
    """Выпустить state и PKCE verifier и сохранить их на OAUTH_STATE_TTL_SECONDS.

    Returns:
        пару (state, запись OAuthState).
    """
    state = secrets.token_urlsafe(32)
    # 64 байта → 86 символов base64url: в пределах 43–128 символов [A-Za-z0-9-_] из RFC 7636.
    record = OAuthState(
        provider=provider,
        redirect_uri=redirect_uri,
        code_verifier=secrets.token_urlsafe(64),
        purpose=purpose,
        user_id=user_id,
    )
    cache.set(_key(state), asdict(record), timeout=settings.OAUTH_STATE_TTL_SECONDS)
    return state, record


def oauth_state_consume(*, state):
    """Забрать запись state; второй и последующие вызовы с тем же state получают None.

    Неизвестный, истёкший и уже использованный state неразличимы: ответ один.
    """
    if not isinstance(state, str) or not state or len(state) > 128:
        return None
    key = _key(state)
    data = cache.get(key)
    if data is None:
        return None
    # Из параллельных запросов запись получает тот, кто её удалил.
    if not cache.delete(key):
        return None
    return OAuthState(**data)
