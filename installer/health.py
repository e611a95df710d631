"""Ожидание и чтение /api/health/ магазина."""

import json
import time
import urllib.error
import urllib.request

from installer.plan import InstallerError


def health_read(url, *, timeout=5):
    """Вернуть (код ответа, JSON или None) от url; (0, None) — сервер не отвечает."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 — адрес задаёт установщик
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"null")
        except ValueError:
            return error.code, None
    except (urllib.error.URLError, OSError, ValueError):
        return 0, None


def health_wait(url, *, seconds=180, interval=2.0, sleep=time.sleep, clock=time.monotonic):
    """Ждать ответа 200 со status=ok от url не дольше seconds; вернуть JSON ответа.

    Raises:
        InstallerError: за отведённое время магазин не стал здоровым (с последним ответом).
    """
    deadline = clock() + seconds
    status, body = 0, None
    while True:
        status, body = health_read(url)
        if status == 200 and isinstance(body, dict) and body.get("status") == "ok":
            return body
        if clock() >= deadline:
            break
        sleep(interval)
    detail = json.dumps(body, ensure_ascii=False) if body else "нет ответа"
    raise InstallerError(
        f"Магазин не ответил «ok» на {url} за {seconds} с (код {status}: {detail}). "
        "Причины смотрите в ./install.sh doctor."
    )
