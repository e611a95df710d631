"""`make bench`: весь магазин под нагрузкой на большом каталоге рядом с эталоном («пределом»).

Шаги: набор данных (переиспользуется, если в базе отметка той же версии и масштаба, иначе
генерируется), три сервера gunicorn по 2 воркера на 127.0.0.1 — проект без кэша ответов,
проект с кэшем ответов в Redis, эталон (bench/reference_server.py: голый WSGI, psycopg,
orjson, один SQL-запрос), нагрузчик отдельным процессом (bench/driver.py, ограничен числом
запросов и временем) по сценариям, затем экспорт и импорт всего каталога одним файлом.
Печатает одну таблицу и пишет JSON (bench/results/latest.json); --compare PATH печатает
изменения против прошлого JSON.

    make bench                                  # BENCH_SCALE=1: 100 тыс. товаров, < 15 мин на 2 ядрах
    BENCH_SCALE=0.1 make bench
    .venv/bin/python bench/run.py --scale 0.01 --requests 50 --seconds 5 --skip-exchange
    .venv/bin/python bench/run.py --compare bench/results/before.json

База — BENCH_DATABASE_URL (по умолчанию megashop_bench на 127.0.0.1; создаётся, если её нет),
Redis — BENCH_REDIS_URL (по умолчанию база 7). Каталоговые таблицы этой базы перезаписываются
при генерации: не направляйте её на рабочую базу.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(BENCH)]

import warnings  # noqa: E402

import report  # noqa: E402
import server  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/megashop_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"
DEFAULT_OUTPUT = BENCH / "results" / "latest.json"
# Сколько разных ответов читается из кэша в сценариях «из кэша» (все прогреты заранее).
CACHED_URLS = 200
# 10 — миллион товаров (docs/sysadmin/sizing.md: диск и время генерации на этой машине).
MAX_SCALE = 10


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")))
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", "2000")))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "20")))
    parser.add_argument("--concurrency", type=int, default=int(os.environ.get("BENCH_CONCURRENCY", "2")))
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    # Потоковая реплика базы бенчмарка: сценарии каталога «с реплики» (docs/sysadmin/sizing.md).
    parser.add_argument("--replica-url", default=os.environ.get("BENCH_REPLICA_URL", ""))
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    parser.add_argument("--compare", metavar="PATH", help="прошлый JSON: напечатать изменения")
    parser.add_argument("--regenerate", action="store_true", help="сгенерировать данные заново")
    parser.add_argument("--skip-exchange", action="store_true", help="без экспорта и импорта файла")
    parser.add_argument(
        "--dataset-only", action="store_true", help="только подготовить набор данных: время, размер базы, выход"
    )
    parser.add_argument("--no-search-index", action="store_true", help="не строить поисковый индекс")
    parser.add_argument(
        "--search-products-only",
        action="store_true",
        help="из поисковых индексов строить только таблицы поиска товаров витрины (быстро и при 10)",
    )
    parser.add_argument("--exchange-format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument(
        "--only",
        default="",
        help="только сценарии с этими именами через запятую (например «add-to-cart,checkout»); без обмена",
    )
    parser.add_argument(
        "--cpu-hog", action="store_true", help="экспорт и импорт при занятом втором ядре (bench/cpu_hog.py)"
    )
    args = parser.parse_args(argv)
    if not 0.01 <= args.scale <= MAX_SCALE:
        parser.error(f"BENCH_SCALE: от 0.01 до {MAX_SCALE}")
    for url in (args.database_url, args.redis_url, *([args.replica_url] if args.replica_url else [])):
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost"):
            parser.error(f"только локальные сервисы: {url}")
    return args


def database_create_if_missing(database_url):
    """Создать базу бенчмарка, если её нет (подключением к служебной базе postgres)."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def machine_facts():
    """Факты о машине для отчёта: ядра, память, версия PostgreSQL, нагрузка."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgresql = cursor.fetchone()[0].split()[0]
        cursor.execute(
            "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)",
            [["random_page_cost", "shared_buffers", "effective_cache_size", "work_mem", "jit"]],
        )
        pg_settings = dict(cursor.fetchall())
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(memory_gb, 1),
        "postgresql": postgresql,
        "pg_settings": pg_settings,
        "python": platform.python_version(),
    }


def load_average():
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def run_driver(*, port, requests, args, cycle=True, warmup=None, max_requests=None):
    """Прогнать сценарий нагрузчиком в отдельном процессе и вернуть его итог."""
    spec = {
        "port": port,
        "concurrency": args.concurrency,
        "max_requests": max_requests or args.requests,
        "max_seconds": args.seconds,
        "warmup": args.warmup if warmup is None else warmup,
        "cycle": cycle,
        "requests": requests,
    }
    completed = subprocess.run(
        [sys.executable, str(BENCH / "driver.py")],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
        timeout=args.seconds * 2 + 180,
    )
    return json.loads(completed.stdout)


def exchange_run(args, env, log):
    """Экспорт всего каталога одним файлом и импорт этого файла, каждый — своим процессом."""
    import exchange_step
    from cpu_hog import cpu_hog

    if not exchange_step.exchange_available():
        return {"exchange": {"error": "приложения commerce.exchange нет"}}
    results = {}
    with tempfile.TemporaryDirectory(prefix="megashop-bench-") as folder:
        path = str(Path(folder) / f"catalog.{args.exchange_format}")
        phase_env = {**env, "MEDIA_ROOT": str(Path(folder) / "media")}
        for phase in ("export", "import"):
            log(f"Обмен: {phase} ({args.exchange_format})...")
            command = [sys.executable, str(BENCH / "exchange_step.py"), phase, path, "--format", args.exchange_format]
            with cpu_hog(args.cpu_hog) as hog:
                completed = subprocess.run(command, env=phase_env, capture_output=True, text=True, timeout=900)
            name = f"{phase} {args.exchange_format}, весь каталог"
            if completed.returncode != 0:
                results[name] = {"error": completed.stderr.strip().splitlines()[-1][:200]}
                continue
            item = json.loads(completed.stdout.strip().splitlines()[-1])
            item["rows_per_second"] = round(item["rows"] / item["seconds"], 1) if item["seconds"] else 0.0
            item["hog_cpu"] = hog.cpu
            item["load"] = load_average()
            results[name] = item
    return results


def scenarios_build(args, log):
    """Собрать сценарии и посчитать SQL на запрос (в этом процессе, тем же кодом)."""
    import scenarios as sc

    count = max(args.requests, 50)
    catalog = sc.catalog_paths(count=min(count, 2000))
    search = sc.search_paths(count=min(count, 2000))
    log("Корзина и оформление: пополняю остатки, создаю корзины...")
    hot = sc.hot_variants_prepare(count=min(sc.HOT_VARIANTS, args.requests))
    # Две корзины — на подсчёт SQL (первая прогревает кэши процесса, вторая считается), остальные — нагрузчику.
    tokens = sc.carts_prepare(variant_ids=hot, count=args.requests + args.warmup + 2)
    get = sc._get
    items = [
        sc.Scenario("list: category, price, 24", "project", [get(p) for p in catalog["list"]],
                    reference="reference list", ratio_target=0.5, p95_limit_ms=25),
        sc.Scenario("reference list", "reference", [get(p) for p in catalog["list"]]),
        sc.Scenario("list: cached", "project-cached", [get(p) for p in catalog["list"][:CACHED_URLS]],
                    reference="reference list", ratio_target=0.9),
        sc.Scenario("detail", "project", [get(p) for p in catalog["detail"]],
                    reference="reference detail", ratio_target=0.5, p95_limit_ms=30, max_queries=5),
        sc.Scenario("reference detail", "reference", [get(p) for p in catalog["detail"]]),
        sc.Scenario("detail: cached", "project-cached", [get(p) for p in catalog["detail"][:CACHED_URLS]],
                    reference="reference detail", ratio_target=0.9),
        sc.Scenario("list: top category, 24", "project", [get(p) for p in catalog["list_top"]]),
        sc.Scenario("list: all, in stock, 24", "project", [get(p) for p in catalog["list_all"]]),
        sc.Scenario("facets: category", "project", [get(p) for p in catalog["facets"]]),
        sc.Scenario("search: word", "project", [get(p) for p in search["search"]]),
        sc.Scenario("suggest: 2-6 chars", "project", [get(p) for p in search["suggest"]]),
        sc.Scenario("add-to-cart", "project", sc.cart_requests(variant_ids=hot, count=count)),
        sc.Scenario("checkout", "project", sc.checkout_requests(tokens[2:]), cycle=False),
    ]  # fmt: skip
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    if only:
        unknown = only - {item.name for item in items}
        if unknown:
            raise SystemExit(f"--only: нет сценариев {sorted(unknown)}")
        items = [item for item in items if item.name in only]
    if args.replica_url:
        # Тот же каталог, но чтения — с потоковой реплики (DATABASE_REPLICA_URL, core.db_routing).
        items += [
            sc.Scenario("list: from replica", "project-replica", [get(p) for p in catalog["list"]],
                        reference="list: category, price, 24"),
            sc.Scenario("detail: from replica", "project-replica", [get(p) for p in catalog["detail"]],
                        reference="detail"),
        ]  # fmt: skip
    log("SQL на запрос (в процессе)...")
    for item in items:
        if item.server == "reference":
            item.sql_queries = 1
            continue
        if item.server == "project-replica":
            # Те же запросы, что у сценария на основной базе, только на другом соединении.
            item.sql_queries = next(other.sql_queries for other in items if other.name == item.reference)
            continue
        request = item.requests[0]
        warmup = None
        if item.name == "checkout":
            # Оформление не повторить той же корзиной: прогрев — своей корзиной, счёт — следующей.
            warmup, request = sc.checkout_requests(tokens[:2])
        item.sql_queries = sc.sql_queries(request, cached=item.server == "project-cached", warmup=warmup)
    return items


def main(argv=None):
    args = parse_args(argv)
    started = time.monotonic()
    previous = report.load_json(args.compare) if args.compare else None
    load_before = load_average()

    def log(message):
        print(f"[{time.monotonic() - started:5.0f} с] {message}", file=sys.stderr, flush=True)

    # Статика не собрана (collectstatic бенчмарку не нужен): молчать о пустом STATIC_ROOT.
    warnings.filterwarnings("ignore", message="No directory at")
    log("База и миграции...")
    database_create_if_missing(args.database_url)
    env = server.production_env(database_url=args.database_url, redis_url=args.redis_url)
    os.environ.update({key: value for key, value in env.items() if key != "PYTHONPATH"})
    import django

    django.setup()
    import dataset
    import scenarios as sc

    search_index = dataset.SEARCH_FULL
    if args.no_search_index:
        search_index = dataset.SEARCH_NONE
    elif args.search_products_only:
        search_index = dataset.SEARCH_PRODUCTS
    data = dataset.dataset_ensure(scale=args.scale, env=env, force=args.regenerate, search_index=search_index, log=log)
    if args.dataset_only:
        data["database_bytes"] = dataset.database_bytes()
        data["load"] = load_average()
        print(json.dumps(data, ensure_ascii=False))
        return data
    facts = machine_facts()
    items = scenarios_build(args, log)
    cached_env = server.production_env(
        database_url=args.database_url, redis_url=args.redis_url, catalog_cache_seconds=300
    )
    results = {}
    try:
        servers = {
            "project": {"app": "config.wsgi:application", "env": env},
            "project-cached": {"app": "config.wsgi:application", "env": cached_env},
            "reference": {"app": "reference_server:application", "env": env, "pythonpath": BENCH},
        }
        if args.replica_url:
            servers["project-replica"] = {
                "app": "config.wsgi:application",
                "env": {**env, "DATABASE_REPLICA_URL": args.replica_url},
            }
        # Только серверы выбранных сценариев (--only): лишние gunicorn отняли бы процессор у замера.
        servers = {name: spec for name, spec in servers.items() if any(item.server == name for item in items)}
        log(f"Серверы: {', '.join(servers)}...")
        with server.gunicorns(servers) as ports:
            for item in items:
                log(f"Сценарий: {item.name}...")
                cached = item.server == "project-cached"
                outcome = run_driver(
                    port=ports[item.server],
                    requests=item.requests,
                    args=args,
                    cycle=item.cycle,
                    # Из кэша: прогрев кладёт в Redis все адреса сценария.
                    warmup=len(item.requests) if cached else None,
                )
                results[item.name] = {
                    **outcome,
                    "server": item.server,
                    "sql": item.sql_queries,
                    "reference": item.reference,
                    "ratio_target": item.ratio_target,
                    "p95_limit_ms": item.p95_limit_ms,
                    "max_queries": item.max_queries,
                }
    finally:
        log("Уборка: резервы заказов и анонимные корзины бенчмарка...")
        sc.orders_cleanup()
    for item in results.values():
        reference = results.get(item["reference"]) if item["reference"] else None
        item["ratio"] = round(item["rps"] / reference["rps"], 3) if reference and reference["rps"] else None
    exchange = {} if args.skip_exchange or args.only else exchange_run(args, env, log)
    output = Path(args.output)
    payload = {
        "meta": {
            **facts,
            "scale": args.scale,
            "products": data["products"],
            "dataset_reused": data["reused"],
            "dataset_seconds": data["seconds"],
            "dataset_steps": data.get("steps", {}),
            "search_index": search_index,
            "database_bytes": dataset.database_bytes(),
            "workers": server.WORKERS,
            "concurrency": args.concurrency,
            "requests_per_scenario": args.requests,
            "seconds_per_scenario": args.seconds,
            "load_before": load_before,
            "load_after": load_average(),
            "commit": _git_commit(),
            "finished_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "total_seconds": round(time.monotonic() - started, 1),
            "command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
            "output": str(output),
        },
        "scenarios": results,
        "exchange": exchange,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    print(report.table(payload))
    if previous is not None:
        print()
        print(report.compare(previous, payload))
    return payload


def _git_commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


if __name__ == "__main__":
    main()
