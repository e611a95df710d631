"""Настоящие движки для тестов масштабирования: PostgreSQL с потоковой репликой, Redis с
Sentinel, узлы gunicorn, Varnish, локальный S3 (moto в режиме сервера).

Каждый движок — процесс на своём порту 127.0.0.1 из диапазонов этого набора тестов; остановка —
по pid запущенного процесса. Ожидания ограничены по времени и числу попыток.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("MEGASHOP_PG_BIN", "/usr/lib/postgresql/15/bin"))


def port_wait(port, *, timeout=30.0, host="127.0.0.1"):
    """Дождаться, пока порт начнёт принимать соединения; иначе AssertionError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"порт {port} не открылся за {timeout} с")


def port_free(port):
    """Свободен ли порт на 127.0.0.1."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def process_stop(process, *, timeout=10.0):
    """Остановить запущенный нами процесс (SIGTERM, потом SIGKILL)."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def _as_postgres(command):
    # PostgreSQL не запускается от root: в CI и у разработчика под root — от пользователя postgres.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def postgres_available():
    return (PG_BIN / "initdb").exists() and (PG_BIN / "pg_basebackup").exists()


class PgCluster:
    """Кластер PostgreSQL в своей папке и на своём порту."""

    def __init__(self, base, *, name, port):
        self.dir = Path(base) / name
        self.port = port
        self.log = Path(base) / f"{name}.log"

    def url(self, database="megashop"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command):
        subprocess.run(_as_postgres([str(PG_BIN / command[0]), *command[1:]]), check=True, capture_output=True)

    def init_primary(self):
        self._run("initdb", "-D", str(self.dir), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        with open(self.dir / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\n"
                "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n"
                # Тестовый кластер: долговечность не нужна, скорость нужна.
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\n"
            )

    def init_replica(self, primary, *, apply_delay="2s"):
        """Снять копию с primary (pg_basebackup -R) и настроить потоковую реплику с задержкой."""
        self._run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-D", str(self.dir),
            "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        with open(self.dir / "postgresql.auto.conf", "a") as conf:
            # recovery_min_apply_delay делает отставание реплики предсказуемым в тестах.
            conf.write(
                f"\nport = {self.port}\nunix_socket_directories = '{self.dir}'\n"
                f"recovery_min_apply_delay = '{apply_delay}'\nhot_standby_feedback = on\n"
            )

    def start(self):
        self._run("pg_ctl", "-D", str(self.dir), "-l", str(self.log), "-w", "-t", "60", "start")
        port_wait(self.port)

    def stop(self):
        if (self.dir / "postmaster.pid").exists():
            subprocess.run(
                _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.dir), "-m", "immediate", "-w", "stop"]),
                capture_output=True,
            )

    def sql(self, statement, database="megashop"):
        """Выполнить SQL через psql и вернуть вывод без заголовков."""
        result = subprocess.run(
            [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
             "-tAX", "-c", statement],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return result.stdout.strip()


def base_dir_create():
    """Временная папка набора, доступная пользователю postgres."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="megashop-scaling-"))
    path.chmod(0o777)
    return path


def base_dir_remove(path):
    shutil.rmtree(path, ignore_errors=True)


def redis_start(base, *, port, args=(), sentinel_conf=None):
    """Запустить redis-server (или Sentinel по готовому конфигу) на порту; вернуть процесс."""
    if sentinel_conf is not None:
        command = ["redis-server", str(sentinel_conf), "--sentinel"]
    else:
        command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                   "--dir", str(base), *args]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_wait(port)
    return process


def django_env(**overrides):
    """Окружение процесса приложения (gunicorn, manage.py, celery) без переменных тестов."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "DJANGO_"))}
    for key in ("DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URL", "MEGASHOP_TEST_EMBEDDED", "COV_CORE_SOURCE"):
        env.pop(key, None)
    env.update(
        {
            "DJANGO_ENV": "development",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "*",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": f"{ROOT}:{ROOT / 'site'}",
            # Четыре примера демо-каталога: наполнение кластера — секунды, а не полминуты.
            "MEGASHOP_DEMO_PRODUCTS": "0",
        }
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def manage(*args, env, timeout=600):
    """Выполнить manage.py с окружением env; вернуть stdout."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)}: {result.stderr[-3000:]}")
    return result.stdout


class GunicornNode:
    """Узел приложения: gunicorn с config.wsgi на своём порту."""

    def __init__(self, *, port, env, workers=2, log_dir):
        self.port = port
        self.env = env
        self.workers = workers
        self.log = Path(log_dir) / f"gunicorn-{port}.log"
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        assert port_free(self.port), f"порт {self.port} занят"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "config.wsgi:application", "--chdir", str(ROOT / "site"),
                 "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--timeout", "60",
                 "--graceful-timeout", "2"],
                env=self.env, stdout=log, stderr=log,
            )  # fmt: skip
        port_wait(self.port, timeout=60)
        # Первый запрос рабочего процесса грузит маршруты и приложения (секунды): делаем его здесь,
        # чтобы тесты мерили поведение, а не холодный старт.
        for _attempt in range(self.workers * 2):
            requests.get(f"{self.url}/api/health/", timeout=30)
        return self

    def stop(self):
        process_stop(self.process)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
