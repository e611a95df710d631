"""HTTP-клиент подключения интеграции: общий клиент core.http_client с адресом, секретами и лимитом подключения.

Сам клиент (повторы, маскирование секретов, User-Agent) — в core.http_client: им же ходит
вход через соцсети. Имена оставлены здесь, чтобы коннекторы импортировали клиент из своего ядра.
"""

from core.http_client import (  # noqa: F401 — переэкспорт для коннекторов
    RETRY_STATUSES,
    HttpClient,
    HttpError,
    backoff_seconds,
    retry_after_seconds,
    user_agent,
)
from integrations.core.ratelimit import RateLimit, RateLimiter


def connection_client(connection, *, retries=None):
    """Собрать HttpClient подключения: его адрес, секреты для маскирования и общий лимит запросов."""
    system = connection.system_instance()
    option = (connection.options or {}).get("rate_limit")
    limit = RateLimit.parse(option) if option else (RateLimit(*system.rate_limit) if system.rate_limit else None)
    limiter = RateLimiter(key=connection.code, limit=limit) if limit else None
    secrets = list(connection.secrets_get().values()) if connection.secrets_encrypted else []
    return HttpClient(
        base_url=connection.base_url, secrets=secrets, rate_limiter=limiter, retries=retries, name=connection.code
    )
