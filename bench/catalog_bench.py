"""Бенчмарк API каталога: список с фильтром категории, фасеты, карточка товара.

Поднимает gunicorn с двумя воркерами только на 127.0.0.1, прогревает, затем ограниченный
нагрузчик (BENCH_CONCURRENCY потоков с keep-alive, BENCH_REQUESTS запросов на сценарий)
печатает медиану, p95, запросы в секунду и число SQL-запросов на запрос (замер тем же
кодом в процессе через CaptureQueriesContext). По умолчанию кэш ответов выключен
(CATALOG_CACHE_TIMEOUT=0) — измеряется честный путь до базы; BENCH_CACHE=1 включает его.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/megashop_bench REDIS_URL=redis://127.0.0.1:6379/13 \
        .venv/bin/python bench/catalog_bench.py
"""

import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
CACHE = os.environ.get("BENCH_CACHE", "0") == "1"


def scenarios():
    """Собрать адреса сценариев из базы: категории второго уровня и случайные товары."""
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from commerce.catalog.models import Category, Product

    rng = random.Random(7)
    categories = list(Category.objects.filter(depth=2).values_list("slug", flat=True))
    product_ids = list(Product.objects.values_list("slug", flat=True)[:5000])
    return {
        "list: category, sort=price, 24": [
            f"/api/v1/catalog/products/?category={rng.choice(categories)}&sort=price&page_size=24" for _ in range(200)
        ],
        "list: category, in_stock, 100": [
            f"/api/v1/catalog/products/?category={rng.choice(categories)}&in_stock=true&page_size=100"
            for _ in range(200)
        ],
        "facets: category": [f"/api/v1/catalog/products/facets/?category={rng.choice(categories)}" for _ in range(200)],
        "detail": [f"/api/v1/catalog/products/{rng.choice(product_ids)}/" for _ in range(200)],
    }


def queries_per_request(paths):
    """Число SQL-запросов на запрос каждого сценария (в процессе, тем же кодом)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_REGION="msk")
    result = {}
    for name, urls in paths.items():
        client.get(urls[0])
        with CaptureQueriesContext(connection) as context:
            response = client.get(urls[1])
        if response.status_code != 200:
            raise RuntimeError(f"{urls[1]}: HTTP {response.status_code}")
        result[name] = len(context.captured_queries)
    return result


def drive(urls):
    """Выполнить REQUESTS запросов CONCURRENCY потоками; вернуть задержки (мс) и время."""
    latencies, lock, counter = [], threading.Lock(), iter(range(REQUESTS))

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        local = []
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            started = time.perf_counter()
            connection.request("GET", urls[index % len(urls)], headers={"X-Region": "msk"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{urls[index % len(urls)]}: HTTP {response.status}")
            local.append((time.perf_counter() - started) * 1000)
        connection.close()
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started


def main():
    env = {**os.environ, "CATALOG_CACHE_TIMEOUT": "300" if CACHE else "0", "DEBUG": "false", "LOG_LEVEL": "WARNING"}
    os.environ.update({"CATALOG_CACHE_TIMEOUT": env["CATALOG_CACHE_TIMEOUT"], "DEBUG": "false", "LOG_LEVEL": "WARNING"})
    paths = scenarios()
    counts = queries_per_request(paths)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--chdir",
            str(ROOT / "site"),
            "--log-level",
            "warning",
        ],
        env={**env, "PYTHONPATH": f"{ROOT}:{ROOT / 'site'}"},
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/api/health/")
                break
            except OSError:
                time.sleep(0.2)
        print(
            f"gunicorn 2 воркера, {CONCURRENCY} потоков, {REQUESTS} запросов на сценарий, кэш ответов: "
            f"{'вкл' if CACHE else 'выкл'}"
        )
        print(f"{'сценарий':34} {'медиана, мс':>12} {'p95, мс':>9} {'запр/с':>8} {'SQL':>4}")
        for name, urls in paths.items():
            drive(urls[:50] * 2)  # прогрев воркеров, соединений, снимка структуры
            latencies, elapsed = drive(urls)
            latencies.sort()
            p95 = latencies[int(len(latencies) * 0.95) - 1]
            print(
                f"{name:34} {statistics.median(latencies):12.1f} {p95:9.1f} {len(latencies) / elapsed:8.0f} "
                f"{counts[name]:4d}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
