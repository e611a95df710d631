"""HTTP-клиент дымовой проверки: только стандартная библиотека (urllib), как у любого внешнего клиента.

Один клиент — один посетитель: свои cookie (сессия сотрудника, csrftoken), свои заголовки
(регион, токен корзины, JWT). Ответ не 2xx — SmokeError с методом, путём, кодом и началом тела.
Перенаправления не выполняются: проверка сама смотрит, куда ведёт Location.
"""

import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid


class SmokeError(Exception):
    """Шаг проверки не прошёл: текст — что именно пошло не так."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Response:
    """Ответ сервера: код, заголовки, тело."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body or b"null")


class Client:
    """Посетитель сервера по адресу base: cookie и заголовки живут между запросами."""

    def __init__(self, base, *, headers=None):
        if not base.startswith(("http://", "https://")):
            raise SmokeError(f"адрес сервера должен начинаться с http:// или https://: {base}")
        self.base = base.rstrip("/")
        self.headers = dict(headers or {})
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def cookie(self, name):
        """Вернуть значение cookie сервера или пустую строку."""
        return next((item.value for item in self.cookies if item.name == name), "")

    def request(self, path, *, method="GET", data=None, headers=None, expect=(200, 201, 202, 204)):
        """Выполнить запрос и вернуть Response; код не из expect — SmokeError."""
        url = path if path.startswith(("http://", "https://")) else self.base + path
        if not url.startswith(("http://", "https://")):
            raise SmokeError(f"не адрес http(s): {url}")
        headers = {**self.headers, **(headers or {})}
        request = urllib.request.Request(url, method=method, data=data, headers=headers)  # noqa: S310 — только http(s)
        try:
            with self._opener.open(request, timeout=120) as answer:
                response = Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            response = Response(error.code, error.headers, error.read())
        if response.status not in expect:
            text = response.body[:500].decode(errors="replace")
            raise SmokeError(f"{method} {path}: {response.status} {text}")
        return response

    def json(self, path, *, method="GET", body=None, headers=None, expect=(200, 201, 202)):
        """Отправить JSON (если body не None) и вернуть разобранный JSON ответа."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", **(headers or {})}
        return self.request(path, method=method, data=data, headers=headers, expect=expect).json()

    def upload(self, path, *, fields, file_field, file_name, file_bytes, headers=None):
        """Отправить форму multipart/form-data с одним файлом и вернуть JSON ответа."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + file_bytes
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", **(headers or {})}
        return self.request(path, method="POST", data=b"".join(parts), headers=headers).json()


def query(path, **params):
    """Добавить к пути параметры запроса (русские буквы кодируются)."""
    return f"{path}?{urllib.parse.urlencode(params)}"


def step(text):
    """Напечатать пройденный шаг."""
    print(f"СМОУК: {text}", flush=True)
