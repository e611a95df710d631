"""Серверы `make bench`: проект и эталон под gunicorn с одинаковыми настройками, только 127.0.0.1.

Проект запускается как в production: DJANGO_ENV=production, одноразовые ключи, DEBUG выключен,
кэш в Redis; SECURE_SSL_REDIRECT выключен (TLS снимает обратный прокси, а здесь его нет).
"""

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
WORKERS = 2


def production_env(*, database_url, redis_url, catalog_cache_seconds=0, extra=None):
    """Окружение процесса проекта в режиме production с одноразовыми ключами."""
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "JWT_SIGNING_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "WARNING",
        "CATALOG_CACHE_TIMEOUT": str(catalog_cache_seconds),
        "SEARCH_SUGGEST_CACHE_SECONDS": str(catalog_cache_seconds),
        "ORDERS_NOTIFY_EMAIL": "false",
        "ORDERS_NOTIFY_SMS": "false",
        # Тысячи оформлений с одного адреса и телефона: потолки остаются в пути запроса, но не мешают.
        "ORDERS_CHECKOUT_RATE_IP": "100000000/hour",
        "ORDERS_CHECKOUT_RATE_PHONE": "100000000/hour",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'site'}",
        # Статика не собрана (collectstatic бенчмарку не нужен): молчать о пустом STATIC_ROOT.
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    }
    env.pop("DEBUG", None)
    env.update(extra or {})
    return env


def free_port(taken=()):
    """Свободный порт на 127.0.0.1: из диапазона BENCH_PORTS («8180-8189»), если он задан, иначе любой.

    Диапазон нужен на общей машине, где каждому сеансу отведены свои порты.
    """
    ports = os.environ.get("BENCH_PORTS", "")
    if ports:
        first, _, last = ports.partition("-")
        for port in range(int(first), int(last or first) + 1):
            if port in taken:
                continue
            with socket.socket() as sock:
                try:
                    sock.bind((HOST, port))
                except OSError:
                    continue
                return port
        raise RuntimeError(f"в диапазоне BENCH_PORTS={ports} нет свободного порта")
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_healthy(process, port, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn завершился с кодом {process.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/api/health/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn не ответил на /api/health/ за {timeout} с")


def _command(app, port, pythonpath):
    command = [
        # gunicorn того же окружения, что запустило бенчмарк (обычно .venv проекта).
        str(Path(sys.executable).parent / "gunicorn"),
        app,
        "--workers",
        str(WORKERS),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        "--chdir",
        str(ROOT / "site"),
    ]
    if pythonpath:
        command += ["--pythonpath", str(pythonpath)]
    return command


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@contextlib.contextmanager
def gunicorns(specs, *, timeout=90):
    """Запустить несколько gunicorn разом (2 sync-воркера, 127.0.0.1) и остановить их на выходе.

    specs — {имя: {"app": ..., "env": ..., "pythonpath": ...}}; возвращает {имя: порт}.
    Запуск параллельный: импорт Django в каждом занимает секунды. Каждый сервер — своя группа
    процессов, на выходе она останавливается целиком (мастер и воркеры).
    """
    processes, ports = {}, {}
    try:
        for name, spec in specs.items():
            ports[name] = free_port(taken=set(ports.values()))
            processes[name] = subprocess.Popen(
                _command(spec["app"], ports[name], spec.get("pythonpath")), env=spec["env"], start_new_session=True
            )
        for name, process in processes.items():
            _wait_healthy(process, ports[name], timeout)
        yield ports
    finally:
        for process in processes.values():
            _stop(process)
