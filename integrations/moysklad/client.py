"""Запросы к JSON API 1.2 МоегоСклада от имени подключения.

Поверх HttpClient ядра (адрес, общий лимит запросов в Redis, таймауты, повторы 5xx/429,
секреты замаскированы в журналах) здесь то, что требует МойСклад:

- ``Authorization: Bearer <токен>`` и ``Accept-Encoding: gzip`` в каждом запросе (без gzip
  МойСклад отвечает 415 с пустым телом);
- на 429 пауза ``X-Lognex-Retry-After`` (миллисекунды), а не ``Retry-After``;
- «тяжёлые» запросы (отчёты об остатках весят 5 единиц) берут из лимита столько же токенов;
- не больше 5 запросов одновременно из процесса (МойСклад отвечает 429 с кодом 1073);
- 401 — токен отозван или неверен: :class:`AuthBroken` с текстом ошибки МоегоСклада;
- листание ``limit``/``offset`` до ``meta.size`` (или пока есть ``meta.nextHref``).
"""

import json
import threading
from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from integrations.core.http import HttpError

PAGE_LIMIT = 1000
# Наибольший limit, с которым МойСклад разрешает expand.
EXPAND_LIMIT = 100
PARALLEL_MAX = 5
# Вес запросов отчётов об остатках в лимите МоегоСклада (остальные — 1).
HEAVY_PATHS = {"/report/stock/all": 5, "/report/stock/bystore": 5}

_parallel = defaultdict(lambda: threading.BoundedSemaphore(PARALLEL_MAX))
_parallel_guard = threading.Lock()


class AuthBroken(Exception):
    """МойСклад не принял токен (401): нужен новый токен в подключении."""


def lognex_retry_after(response):
    """Пауза перед повтором из заголовков МоегоСклада: X-Lognex-Retry-After (мс), затем Retry-After (с)."""
    value = response.headers.get("X-Lognex-Retry-After")
    if value and value.strip().isdigit():
        return int(value.strip()) / 1000
    value = response.headers.get("Retry-After")
    return float(value) if value and value.strip().isdigit() else None


def error_text(body):
    """Текст первой ошибки из ответа МоегоСклада ``{"errors": [{"error": ..., "code": ...}]}`` или ""."""
    try:
        document = json.loads(body) if isinstance(body, (str, bytes)) else body
    except ValueError:
        return ""
    errors = (document or {}).get("errors") if isinstance(document, dict) else None
    if not errors:
        return ""
    first = errors[0]
    code = first.get("code")
    text = first.get("error") or first.get("error_message") or ""
    return f"{text} (код {code})" if code else text


def entity_id(reference):
    """UUID сущности из ``{"meta": {"href": ...}}``, самого meta или адреса (без параметров запроса)."""
    if isinstance(reference, dict):
        reference = (reference.get("meta") or reference).get("href", "")
    path = urlsplit(reference or "").path.rstrip("/")
    return path.rsplit("/", 1)[-1] if path else ""


def entity_type(reference):
    """Тип сущности (product, variant, ...) из meta ссылки."""
    if isinstance(reference, dict):
        return (reference.get("meta") or reference).get("type", "")
    return ""


class MsApi:
    """API одного аккаунта МоегоСклада.

    Args:
        connection: подключение МоегоСклада.
        client: HttpClient подключения (integrations.core.http.connection_client).
    """

    def __init__(self, *, connection, client):
        self.connection = connection
        self.client = client
        self.client.retry_after_parser = lognex_retry_after
        self.requests = 0
        secrets = connection.secrets_get() if connection.secrets_encrypted else {}
        self.token = secrets.get("token", "")
        if self.token and self.token not in self.client.secrets:
            self.client.secrets.append(self.token)

    def meta(self, kind, object_id):
        """Ссылка ``{"meta": ...}`` на сущность по типу и UUID — так МойСклад связывает сущности."""
        return {
            "meta": {
                "href": f"{self.client.base_url}/entity/{kind}/{object_id}",
                "type": kind,
                "mediaType": "application/json",
            }
        }

    def _semaphore(self):
        with _parallel_guard:
            return _parallel[self.connection.code]

    def _weight_take(self, path):
        limiter = self.client.rate_limiter
        if limiter is None:
            return
        route = urlsplit(self.client.url(path)).path
        for heavy, weight in HEAVY_PATHS.items():
            if route.endswith(heavy):
                for _extra in range(weight - 1):
                    limiter.acquire()
                return

    def request(self, method, path, *, write=False, **kwargs):
        """Выполнить запрос; вернуть JSON ответа (пустой ответ — None).

        Args:
            write: запрос меняет данные — МойСклад не пришлёт нам вебхук о нашем же изменении.

        Raises:
            AuthBroken: 401 (токен неверен или отозван).
            HttpError: остальные ошибки (429 и 5xx уже повторены ядром).
        """
        if not self.token:
            raise AuthBroken(_("В подключении не задан токен МоегоСклада (token)."))
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Accept-Encoding": "gzip",
            **kwargs.pop("headers", {}),
        }
        if write:
            headers["Content-Type"] = "application/json"
            # Наши записи не должны возвращаться к нам вебхуками (X-Lognex-WebHook-DisableByPrefix).
            headers["X-Lognex-WebHook-DisableByPrefix"] = settings.WAGTAILAPI_BASE_URL.rstrip("/")
        self._weight_take(path)
        with self._semaphore():
            try:
                self.requests += 1
                response = self.client.request(method, path, headers=headers, **kwargs)
            except HttpError as error:
                if error.status == 401:
                    raise AuthBroken(self._auth_message(error)) from error
                raise
        if not response.content:
            return None
        return response.json()

    def _auth_message(self, error):
        detail = error_text(error.body) if error.body else ""
        message = _(
            "МойСклад не принял токен (ответ 401%(detail)s): токен неверен или отозван — выпуск нового токена "
            "отзывает прежние. Выпустите токен в МоёмСкладе (Настройки → Токены) и сохраните его в подключении."
        ) % {"detail": f": {detail}" if detail else ""}
        return self.client.mask(message)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, document):
        return self.request("POST", path, json=document, write=True)

    def put(self, path, document):
        return self.request("PUT", path, json=document, write=True)

    def download(self, href):
        """Скачать файл (картинку) по ``downloadHref``; вернуть байты."""
        if not self.token:
            raise AuthBroken(_("В подключении не задан токен МоегоСклада (token)."))
        with self._semaphore():
            self.requests += 1
            try:
                response = self.client.request(
                    "GET", href, headers={"Authorization": f"Bearer {self.token}", "Accept-Encoding": "gzip"}
                )
            except HttpError as error:
                if error.status == 401:
                    raise AuthBroken(self._auth_message(error)) from error
                raise
        return response.content

    def pages(self, path, *, params=None, limit=PAGE_LIMIT):
        """Перебрать страницы списка (``limit``/``offset``); отдавать (строки, всего)."""
        params = dict(params or {})
        offset = 0
        while True:
            document = self.get(path, params={**params, "limit": limit, "offset": offset}) or {}
            rows = document.get("rows") or []
            meta = document.get("meta") or {}
            size = int(meta.get("size") or 0)
            yield rows, size
            offset += limit
            if not rows or offset >= size or (not meta.get("nextHref") and offset >= size):
                return
