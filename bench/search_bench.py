"""Бенчмарк поиска: /api/v1/search/ и /api/v1/search/suggest/ на каталоге в 100 000 товаров.

Каталог создаёт bench/catalog_generate.py (COPY, без сигналов), поэтому сначала строится
поисковый индекс — `manage.py update_index`, его время печатается (BENCH_REINDEX=0 — не
строить, если индекс уже есть; BENCH_REINDEX=products — только таблицы поиска товаров
PostgreSQL, `update_index --products-only`, одним SQL). Затем, как catalog_bench.py: gunicorn с двумя воркерами
только на 127.0.0.1, прогрев, BENCH_CONCURRENCY потоков с keep-alive, BENCH_REQUESTS
запросов на сценарий; печатаются медиана, p95, запросы в секунду и число SQL-запросов на
запрос. Кэш подсказок по умолчанию выключен (каждая подсказка идёт в базу); BENCH_CACHE=1
включает его. Журнал поиска включён: запись в буфер Redis входит в замер.

    createdb -h 127.0.0.1 -U postgres megashop_bench_search
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/megashop_bench_search REDIS_URL=redis://127.0.0.1:6379/14
    .venv/bin/python manage.py migrate && BENCH_SCALE=1 .venv/bin/python bench/catalog_generate.py
    .venv/bin/python bench/search_bench.py
"""

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import catalog_bench  # общий нагрузчик и сервер

ROOT = catalog_bench.ROOT
REINDEX = os.environ.get("BENCH_REINDEX", "1")
CACHE = os.environ.get("BENCH_CACHE", "0") == "1"

# «Ноутбук» на клавиатуре без переключения раскладки.
LAYOUT_TYPOS = ["yjen,erb", "cvfhnajy", "gksyityn", "xfqybr", "gsktcjc"]
WORDS = ["смартфоны", "ноутбуки", "планшет", "телевизоры", "наушники", "куртка", "футболки", "чайник", "пылесосы"]


def update_index_seconds(*, products_only=False):
    """Построить поисковый индекс с нуля и вернуть время в секундах."""
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), str(ROOT / "manage.py"), "update_index"]
        + (["--products-only"] if products_only else []),
        check=True,
        env=os.environ,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def scenarios():
    """Собрать адреса сценариев из базы: слова каталога, артикулы, номера моделей, префиксы."""
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from commerce.catalog.models import Category, Variant

    rng = random.Random(11)
    skus = list(Variant.objects.order_by("?").values_list("sku", flat=True)[:300])
    categories = list(Category.objects.filter(depth=2).values_list("slug", flat=True))
    prefixes = sorted({word[:length] for word in WORDS for length in (2, 3, 4, 5, 6)})

    def url(path, **params):
        return path + "?" + "&".join(f"{key}={quote(str(value))}" for key, value in params.items())

    search = "/api/v1/search/"
    suggest = "/api/v1/search/suggest/"
    return {
        "search: word (~10% каталога), 24": [url(search, q=rng.choice(WORDS)) for _ in range(200)],
        "search: word + category + in_stock": [
            url(search, q=rng.choice(WORDS), category=rng.choice(categories), in_stock="true") for _ in range(200)
        ],
        "search: word, sort=price, 100": [
            url(search, q=rng.choice(WORDS), sort="price", page_size=100) for _ in range(200)
        ],
        "search: model number": [url(search, q=f"модель {rng.randint(1, 100_000)}") for _ in range(200)],
        "search: exact SKU": [url(search, q=rng.choice(skus)) for _ in range(200)],
        "search: layout typo (fallback)": [url(search, q=rng.choice(LAYOUT_TYPOS)) for _ in range(200)],
        "suggest: 2-6 chars": [url(suggest, q=rng.choice(prefixes)) for _ in range(200)],
    }


def main():
    os.environ.update(
        {
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "SEARCH_SUGGEST_CACHE_SECONDS": "300" if CACHE else "0",
            "CATALOG_CACHE_TIMEOUT": "0",
        }
    )
    if REINDEX == "1":
        print(f"update_index (весь каталог): {update_index_seconds():.0f} с")
    elif REINDEX == "products":
        seconds = update_index_seconds(products_only=True)
        print(f"update_index --products-only (таблицы поиска товаров): {seconds:.0f} с")
    paths = scenarios()
    counts = catalog_bench.queries_per_request(paths)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{catalog_bench.PORT}",
            "--chdir",
            str(ROOT / "site"),
            "--log-level",
            "warning",
        ],
        env={**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'site'}"},
    )
    try:
        for _ in range(100):
            try:
                catalog_bench.http.client.HTTPConnection("127.0.0.1", catalog_bench.PORT, timeout=1).request(
                    "GET", "/api/health/"
                )
                break
            except OSError:
                time.sleep(0.2)
        # Машина общая: нагрузку на ней печатаем рядом с цифрами.
        print(f"load average: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
        print(
            f"gunicorn 2 воркера, {catalog_bench.CONCURRENCY} потоков, {catalog_bench.REQUESTS} запросов на сценарий, "
            f"кэш подсказок: {'вкл' if CACHE else 'выкл'}"
        )
        print(f"{'сценарий':38} {'медиана, мс':>12} {'p95, мс':>9} {'запр/с':>8} {'SQL':>4}")
        for name, urls in paths.items():
            catalog_bench.drive(urls[:50] * 2)
            latencies, elapsed = catalog_bench.drive(urls)
            latencies.sort()
            p95 = latencies[int(len(latencies) * 0.95) - 1]
            print(
                f"{name:38} {statistics.median(latencies):12.1f} {p95:9.1f} {len(latencies) / elapsed:8.0f} "
                f"{counts[name]:4d}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
