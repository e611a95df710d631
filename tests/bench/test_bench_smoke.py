"""Дымовой тест `make bench` на самом малом масштабе: инструмент запускается, печатает таблицу, пишет JSON.

Бенчмарк идёт отдельным процессом против своей базы (megashop_bench_smoke рядом с тестовой,
её создаёт сам инструмент) и своей базы Redis, чтобы не задеть данные тестов. Цифры здесь
не проверяются — только то, что все сценарии отработали без ошибок и итог читается.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import report  # noqa: E402

SMOKE_DATABASE = "megashop_bench_smoke"
SCENARIOS = {
    "list: category, price, 24",
    "reference list",
    "list: cached",
    "detail",
    "reference detail",
    "detail: cached",
    "list: top category, 24",
    "list: all, in stock, 24",
    "facets: category",
    "search: word",
    "suggest: 2-6 chars",
    "add-to-cart",
    "checkout",
}


def _smoke_urls():
    """Адреса базы и Redis бенчмарка: тот же сервер, что у тестов, но свои база и номер Redis."""
    database = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/megashop"))
    database_url = urlunsplit(database._replace(path=f"/{SMOKE_DATABASE}"))
    redis = urlsplit(os.environ.get("BENCH_SMOKE_REDIS_URL") or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    base = int(redis.path.strip("/") or 0)
    # Воркеры xdist берут базы base, base+1, ...; бенчмарк — на восемь дальше.
    redis_url = urlunsplit(redis._replace(path=f"/{(base + 8) % 16}"))
    return database_url, redis_url


@pytest.mark.slow
def test_bench_runs_prints_table_and_writes_json(tmp_path):
    # given: самый малый масштаб и короткие сценарии
    database_url, redis_url = _smoke_urls()
    output = tmp_path / "latest.json"
    command = [
        sys.executable, str(ROOT / "bench" / "run.py"),
        "--scale", "0.01", "--requests", "20", "--seconds", "2", "--warmup", "5",
        "--no-search-index", "--exchange-format", "csv",
        "--database-url", database_url, "--redis-url", redis_url, "--output", str(output),
    ]  # fmt: skip
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}

    # when: инструмент идёт своей группой процессов — при зависании она убивается целиком
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        pytest.fail(f"make bench не уложился в 300 с:\n{stderr[-3000:]}")
    print(stdout)

    # then: таблица напечатана, JSON читается, все сценарии прошли без ошибок
    assert process.returncode == 0, stderr[-3000:]
    assert "list: category, price, 24" in stdout
    assert "к эталону" in stdout
    results = json.loads(output.read_text(encoding="utf-8"))
    assert set(results["scenarios"]) == SCENARIOS
    for name, item in results["scenarios"].items():
        assert item["requests"] > 0, name
        assert item["non_2xx"] == 0, (name, item["statuses"], item["errors"])
        assert item["errors"] == [], name
        assert isinstance(item["sql"], int), name
    assert results["scenarios"]["list: category, price, 24"]["ratio"] > 0
    assert results["scenarios"]["reference list"]["sql"] == 1
    for name, item in results["exchange"].items():
        assert "error" not in item, (name, item)
        assert item["rows"] > 0 and item["peak_mb"] > 0, name
    assert results["meta"]["scale"] == 0.01
    assert "запр/с" in report.compare(results, results)
