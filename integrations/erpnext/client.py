"""Запросы к REST API Frappe (ERPNext) от имени подключения: token-авторизация, списки страницами, ошибки.

Поверх HttpClient ядра (адрес сайта, лимит запросов, таймауты, повторы 5xx/429, секреты
замаскированы в журналах). Параметры списков — JSON в строке запроса, как требует Frappe:
``fields=["name","item_name"]``, ``filters=[["modified",">","…"]]``, ``limit_start``/``limit_page_length``.
"""

import json
import logging
from urllib.parse import quote

from django.utils.translation import gettext as _

from integrations.core.http import HttpError

logger = logging.getLogger(__name__)

# Исключения Frappe, после которых повтор с перечитанным документом может пройти.
RETRY_ONCE_EXCEPTIONS = frozenset({"TimestampMismatchError"})


class FrappeError(Exception):
    """ERPNext отказал: ``status`` HTTP, ``exc_type`` (ValidationError, DoesNotExistError...) и сообщение."""

    def __init__(self, message, *, status=None, exc_type=""):
        super().__init__(message)
        self.status = status
        self.exc_type = exc_type


def server_messages(body):
    """Достать человеческие сообщения из ответа с ошибкой Frappe.

    ``_server_messages`` — JSON-строка со списком JSON-строк объектов ``{"message": ...}``:
    её нужно разобрать дважды. Если её нет — ``message`` или ``exception`` ответа.

    Returns:
        (exc_type, текст) — оба могут быть пустыми.
    """
    try:
        document = json.loads(body or "")
    except ValueError:
        return "", ""
    if not isinstance(document, dict):
        return "", ""
    exc_type = str(document.get("exc_type") or "")
    messages = []
    raw = document.get("_server_messages")
    if raw:
        try:
            for item in json.loads(raw):
                try:
                    decoded = json.loads(item)
                except (TypeError, ValueError):
                    decoded = item
                text = decoded.get("message") if isinstance(decoded, dict) else decoded
                if text:
                    messages.append(str(text))
        except (TypeError, ValueError):
            messages.append(str(raw))
    if not messages:
        for key in ("message", "exception"):
            if isinstance(document.get(key), str) and document[key]:
                messages.append(document[key])
                break
    if not exc_type and messages and ":" in messages[0].split(" ", 1)[0]:
        exc_type = messages[0].split(":", 1)[0].rsplit(".", 1)[-1]
    return exc_type, "; ".join(messages)


def _doctype_path(doctype, name=None):
    path = f"/api/resource/{quote(doctype)}"
    if name is not None:
        path += "/" + quote(str(name), safe="")
    return path


class FrappeApi:
    """REST API одного сайта ERPNext.

    Args:
        client: HttpClient подключения (``integrations.core.http.connection_client``).
        api_key, api_secret: ключи пользователя API (Authorization: token key:secret).
    """

    def __init__(self, *, client, api_key, api_secret):
        self.client = client
        self.headers = {"Authorization": f"token {api_key}:{api_secret}", "Accept": "application/json"}
        for secret in (api_key, api_secret, f"{api_key}:{api_secret}"):
            if secret and secret not in self.client.secrets:
                self.client.secrets.append(secret)

    @classmethod
    def for_connection(cls, *, connection, client):
        secrets = connection.secrets_get() if connection.secrets_encrypted else {}
        return cls(
            client=client,
            api_key=connection.options.get("api_key") or secrets.get("api_key", ""),
            api_secret=secrets.get("api_secret", ""),
        )

    def request(self, method, path, **kwargs):
        """Выполнить запрос и вернуть разобранный JSON.

        Raises:
            FrappeError: ERPNext ответил 4xx с понятной причиной (сообщения из ``_server_messages``).
            HttpError: сеть, таймаут, 5xx после повторов, 401/403/404 — их переводит ядро.
        """
        try:
            response = self.client.request(method, path, headers=self.headers, **kwargs)
        except HttpError as error:
            if error.status in (400, 409, 417, 422):
                exc_type, message = server_messages(error.body)
                raise FrappeError(
                    self.client.mask(message or str(error)), status=error.status, exc_type=exc_type
                ) from error
            raise
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise FrappeError(_("ERPNext ответил не JSON: %(start)s") % {"start": response.text[:100]}) from None

    # --- документы ---------------------------------------------------------------------------

    def list(self, doctype, *, fields, filters=None, order_by=None, limit_start=0, limit=100, parent=None):
        """Одна страница списка ``GET /api/resource/<DocType>``; вернуть список строк."""
        params = {
            "fields": json.dumps(list(fields)),
            "limit_start": limit_start,
            "limit_page_length": limit,
        }
        if filters:
            params["filters"] = json.dumps(filters, ensure_ascii=False)
        if order_by:
            params["order_by"] = order_by
        if parent:
            # Дочерние таблицы (Item Variant Attribute, Item Barcode) читаются только с родителем.
            params["parent"] = parent
        return self.request("GET", _doctype_path(doctype), params=params).get("data") or []

    def list_all(self, doctype, *, fields, filters=None, order_by="name asc", page_size=100, parent=None):
        """Все строки списка страницами по ``page_size`` (limit_start += limit_page_length)."""
        rows, start = [], 0
        while True:
            page = self.list(
                doctype,
                fields=fields,
                filters=filters,
                order_by=order_by,
                limit_start=start,
                limit=page_size,
                parent=parent,
            )
            rows.extend(page)
            if len(page) < page_size:
                return rows
            start += page_size

    def pages_modified(self, doctype, *, fields, since=None, filters=(), page_size=100):
        """Страницы строк, изменённых после ``since``, по порядку (modified, name).

        Следующая страница просит ``modified >= <последний modified>`` и пропускает через
        ``limit_start`` уже полученные строки с тем же ``modified``: правка документа во время
        прохода не сдвигает окно и не теряет строки, как простое смещение от начала.

        Yields:
            list[dict] — страница; у каждой строки есть ``name`` и ``modified``.
        """
        fields = list(dict.fromkeys([*fields, "name", "modified"]))
        cursor, ties, strict = since, 0, True
        while True:
            conditions = list(filters)
            if cursor:
                conditions.append(["modified", ">" if strict else ">=", cursor])
            page = self.list(
                doctype,
                fields=fields,
                filters=conditions,
                order_by="modified asc, name asc",
                limit_start=ties if not strict else 0,
                limit=page_size,
            )
            if page:
                yield page
            if len(page) < page_size:
                return
            last = page[-1]["modified"]
            same = sum(1 for row in page if row["modified"] == last)
            ties = (ties + same) if (not strict and last == cursor) else same
            cursor, strict = last, False

    def get(self, doctype, name):
        """Документ целиком (с дочерними таблицами) или None, если его нет (404 — удалён)."""
        try:
            return self.request("GET", _doctype_path(doctype, name)).get("data")
        except HttpError as error:
            if error.status == 404:
                return None
            raise

    def insert(self, doctype, document):
        return self.request("POST", _doctype_path(doctype), json=document).get("data") or {}

    def update(self, doctype, name, changes):
        """Изменить документ; на TimestampMismatchError (документ правили в этот момент) — один повтор."""
        try:
            return self.request("PUT", _doctype_path(doctype, name), json=changes).get("data") or {}
        except FrappeError as error:
            if error.exc_type not in RETRY_ONCE_EXCEPTIONS:
                raise
            logger.info("ERPNext: %s %s правили одновременно с нами — повтор", doctype, name)
            return self.request("PUT", _doctype_path(doctype, name), json=changes).get("data") or {}

    def delete(self, doctype, name):
        return self.request("DELETE", _doctype_path(doctype, name))

    def method(self, dotted, **params):
        """Вызвать ``/api/method/<dotted.path>`` (GET) и вернуть ``message``."""
        return self.request("GET", f"/api/method/{dotted}", params=params).get("message")
