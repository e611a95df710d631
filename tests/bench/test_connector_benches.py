"""Замеры коннекторов запускаются на чистой машине: своей базы ещё нет — замер создаёт её сам.

bench/moysklad_bench.py и bench/onec_bench.py идут отдельными процессами на самом малом размере
против свежей базы рядом с тестовой (её удаляют до и после) и базы Redis дымового теста `make bench`.
Цифры не проверяются — только то, что замер дошёл до конца и напечатал итог.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.bench.test_bench_smoke import _smoke_urls

ROOT = Path(__file__).resolve().parents[2]
FRESH_DATABASE = "megashop_connector_bench_fresh"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_drop(database_url):
    parts = urlsplit(database_url)
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


@pytest.mark.slow
@pytest.mark.parametrize(
    ("script", "arguments", "printed"),
    [
        ("moysklad_bench.py", ["--products", "3", "--latency", "0"], "инкрементальный после правки"),
        ("onec_bench.py", ["--products", "3"], "пиковая память процесса"),
    ],
    ids=["moysklad", "onec"],
)
def test_connector_bench_creates_its_database_when_missing(script, arguments, printed):
    # given: базы замера нет
    smoke_database_url, redis_url = _smoke_urls()
    database_url = urlunsplit(urlsplit(smoke_database_url)._replace(path=f"/{FRESH_DATABASE}"))
    _database_drop(database_url)
    if script == "moysklad_bench.py":
        arguments = [*arguments, "--port", str(_free_port())]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    env["REDIS_URL"] = redis_url
    try:
        # when
        process = subprocess.run(
            [sys.executable, str(ROOT / "bench" / script), *arguments, "--database-url", database_url],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        _database_drop(database_url)

    # then
    assert process.returncode == 0, process.stderr[-3000:]
    assert printed in process.stdout
