"""Общий HTTP-клиент к внешним системам: Session, таймауты, повторы 5xx/429, лимит запросов, журнал без секретов.

Им ходят коннекторы (integrations.core.http собирает клиент подключения) и вход через соцсети
(accounts.oauth.providers), поэтому он в core, ниже обоих слоёв. Таймауты, повторы и паузы —
из настроек INTEGRATIONS_HTTP_* (имена прежние: их уже задают в окружении). Лимит запросов —
любой объект с методом ``acquire()`` (integrations.core.ratelimit.RateLimiter).
"""

import email.utils
import logging
import os
import random
import threading
import time
from importlib import metadata

import requests
from django.conf import settings

from core.crypto import secret_mask

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_session_local = threading.local()


class HttpError(Exception):
    """Запрос к внешней системе не удался.

    ``reason``: ``network`` (нет соединения, неверный адрес), ``timeout``, ``status`` (ответ 4xx/5xx —
    тогда есть ``status``, ``body`` — начало тела ответа с замаскированными секретами — и, если
    система прислала, ``retry_after`` в секундах).
    """

    BODY_KEPT = 20000

    def __init__(self, message, *, reason, status=None, retry_after=None, body=""):
        super().__init__(message)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.body = body


def user_agent():
    """User-Agent Megashop с версией проекта (pyproject, если пакет установлен, иначе настройка)."""
    try:
        version = metadata.version("megashop")
    except metadata.PackageNotFoundError:
        version = settings.INTEGRATIONS_VERSION
    return f"Megashop/{version}"


def retry_after_seconds(value, *, now=None):
    """Разобрать Retry-After (секунды или HTTP-дата) в секунды; непонятное значение — None."""
    if not value:
        return None
    value = str(value).strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (now if now is not None else time.time()))


def backoff_seconds(attempt, *, base, cap):
    """Экспоненциальная пауза перед попыткой ``attempt`` (1, 2, ...) с полным джиттером."""
    return random.uniform(base / 2, min(cap, base * (2 ** (attempt - 1))))  # noqa: S311 — джиттер, не криптография


def _session():
    """Одна Session на поток процесса (пул соединений); после fork — новая."""
    session = getattr(_session_local, "session", None)
    if session is None or _session_local.pid != os.getpid():
        session = requests.Session()
        session.headers.update({"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate"})
        _session_local.session, _session_local.pid = session, os.getpid()
    return session


class HttpClient:
    """Клиент одного подключения: базовый адрес, лимит запросов, повторы и маскирование секретов.

    Args:
        base_url: адрес API; путь запроса дописывается к нему.
        secrets: значения, которые нельзя показывать в журналах и ошибках.
        rate_limiter: объект с методом ``acquire()`` (RateLimiter интеграций) или None.
        retries: сколько раз повторить 5xx/429/сетевую ошибку (по умолчанию INTEGRATIONS_HTTP_RETRIES).
        auth, headers: как в requests.
        retry_after_parser: callable(response) → секунды паузы или None — для систем, которые
            называют паузу по-своему (МойСклад: ``X-Lognex-Retry-After`` в миллисекундах);
            по умолчанию — стандартный ``Retry-After``.
    """

    def __init__(
        self,
        *,
        base_url="",
        secrets=(),
        rate_limiter=None,
        retries=None,
        auth=None,
        headers=None,
        name="",
        retry_after_parser=None,
    ):
        self.base_url = base_url.rstrip("/")
        self.secrets = [value for value in secrets if value]
        self.rate_limiter = rate_limiter
        self.retries = settings.INTEGRATIONS_HTTP_RETRIES if retries is None else retries
        self.auth = auth
        self.headers = headers or {}
        self.name = name
        self.retry_after_parser = retry_after_parser
        self.timeout = (settings.INTEGRATIONS_HTTP_CONNECT_TIMEOUT, settings.INTEGRATIONS_HTTP_READ_TIMEOUT)

    def mask(self, text):
        """Скрыть секреты подключения в тексте."""
        return secret_mask(text, self.secrets)

    def url(self, path):
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}" if path else self.base_url

    def request(self, method, path="", **kwargs):
        """Выполнить запрос с повторами; вернуть requests.Response с кодом < 400.

        Raises:
            HttpError: сеть, таймаут или ответ 4xx/5xx после всех повторов.
        """
        url = self.url(path)
        headers = {**self.headers, **kwargs.pop("headers", {})}
        attempt = 0
        while True:
            attempt += 1
            if self.rate_limiter is not None:
                self.rate_limiter.acquire()
            started = time.monotonic()
            error, response = None, None
            try:
                response = _session().request(
                    method, url, headers=headers, auth=self.auth, timeout=self.timeout, **kwargs
                )
            except requests.Timeout as exc:
                error = HttpError(self.mask(f"{method} {url}: нет ответа за {self.timeout[1]} с"), reason="timeout")
                error.__cause__ = exc
            except requests.RequestException as exc:
                error = HttpError(self.mask(f"{method} {url}: нет соединения ({exc})"), reason="network")
                error.__cause__ = exc
            duration_ms = round((time.monotonic() - started) * 1000)
            status = response.status_code if response is not None else None
            logger.info(
                "HTTP %s %s → %s за %s мс (попытка %s)",
                method,
                self.mask(url),
                status or error.reason,
                duration_ms,
                attempt,
                extra={
                    "integration": self.name,
                    "http_method": method,
                    "http_url": self.mask(url),
                    "http_status": status,
                    "duration_ms": duration_ms,
                    "attempt": attempt,
                },
            )
            retry_after = None
            if response is not None:
                if response.status_code < 400:
                    return response
                if self.retry_after_parser is not None:
                    retry_after = self.retry_after_parser(response)
                else:
                    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
                error = HttpError(
                    self.mask(f"{method} {url}: ответ {response.status_code} {response.text[:200]}"),
                    reason="status",
                    status=response.status_code,
                    retry_after=retry_after,
                    body=self.mask(response.text[: HttpError.BODY_KEPT]),
                )
            retriable = error.reason != "status" or error.status in RETRY_STATUSES
            if not retriable or attempt > self.retries:
                raise error
            pause = backoff_seconds(
                attempt, base=settings.INTEGRATIONS_HTTP_BACKOFF_BASE, cap=settings.INTEGRATIONS_HTTP_BACKOFF_CAP
            )
            if retry_after is not None:
                pause = max(pause, min(retry_after, settings.INTEGRATIONS_HTTP_BACKOFF_CAP))
            time.sleep(pause)

    def get(self, path="", **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path="", **kwargs):
        return self.request("POST", path, **kwargs)
