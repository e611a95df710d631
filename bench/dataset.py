"""Набор данных `make bench`: сгенерировать или переиспользовать каталог нужного масштаба.

Отметка — строка в таблице ``bench_dataset`` (она не модель Django: бенчмарк не приложение).
Если в базе есть отметка с той же версией генератора и тем же масштабом, данные
переиспользуются (генерация 100 тыс. товаров — полторы минуты, поисковый индекс — ещё
несколько). Версия меняется при любом изменении генератора или схемы, от которой зависят данные.
Функции вызываются после django.setup() с DATABASE_URL базы бенчмарка.
"""

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# 2: ProductOffer с денормализованными полями списка (имя, slug, бренд, популярность, дата).
DATASET_VERSION = "2"
MARKER_TABLE = "bench_dataset"
# Виды поискового индекса набора: весь (modelsearch и таблицы поиска товаров), только таблицы
# поиска товаров витрины (update_index --products-only: один SQL на весь каталог; индекс
# modelsearch для админки и страниц пишет 8–11 мс на товар — около 3 часов на миллион товаров,
# а сценарии витрины на PostgreSQL его не читают) или никакого.
SEARCH_FULL, SEARCH_PRODUCTS, SEARCH_NONE = "full", "products", "none"


def dataset_marker():
    """Вернуть (версия, масштаб, построен ли индекс целиком, построены ли таблицы поиска товаров) или None."""
    from django.db import DatabaseError, connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        try:
            cursor.execute(
                f"SELECT version, scale, search_indexed, search_products FROM {MARKER_TABLE} "  # noqa: S608
                "ORDER BY created_at DESC LIMIT 1"
            )
        except DatabaseError:  # отметка старого формата
            return None
        row = cursor.fetchone()
    return (row[0], float(row[1]), row[2], row[3]) if row else None


def _marker_write(scale, seconds, search_index):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")
        cursor.execute(
            f"CREATE TABLE {MARKER_TABLE} ("
            "version text NOT NULL, scale numeric NOT NULL, search_indexed boolean NOT NULL, "
            "search_products boolean NOT NULL, seconds numeric NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (version, scale, search_indexed, search_products, seconds) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s)",
            [DATASET_VERSION, scale, search_index == SEARCH_FULL, search_index != SEARCH_NONE, round(seconds, 1)],
        )


def _marker_drop():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")


def migrate(env):
    """Применить миграции к базе бенчмарка, если есть неприменённые (отдельным процессом)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"], check=True, env=env, cwd=ROOT
    )


def search_index_build(env, log, *, mode=SEARCH_FULL):
    """Построить поисковый индекс (COPY сигналов не шлёт) целиком или только таблицы товаров; вернуть секунды."""
    started = time.monotonic()
    products_only = ["--products-only"] if mode == SEARCH_PRODUCTS else []
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "update_index", "-v", "0", *products_only],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - started
    log(f"  поисковый индекс: {seconds:.1f} с")
    return seconds


def dataset_ensure(*, scale, env, force=False, search_index=SEARCH_FULL, log=print):
    """Переиспользовать набор данных нужного масштаба или сгенерировать его заново.

    search_index — SEARCH_FULL, SEARCH_PRODUCTS (только таблицы поиска товаров витрины) или
    SEARCH_NONE (update_index на модельном бэкенде PostgreSQL идёт минуты даже на малом
    каталоге; дымовому тесту поиск нужен только как маршрут). Отметка помнит, что построено:
    следующий прогон достраивает только недостающее.
    Возвращает словарь: reused, seconds (генерации, 0 при переиспользовании), products и
    steps — секунды шагов генерации от её начала (пусто при переиспользовании).
    """
    migrate(env)
    marker = dataset_marker()
    if not force and marker is not None and marker[:2] == (DATASET_VERSION, float(scale)):
        seconds = 0.0
        built = SEARCH_FULL if marker[2] else SEARCH_PRODUCTS if marker[3] else SEARCH_NONE
        order = (SEARCH_NONE, SEARCH_PRODUCTS, SEARCH_FULL)
        if order.index(search_index) > order.index(built):
            seconds = search_index_build(env, log, mode=search_index)
            _marker_write(scale, seconds, search_index)
        log(f"Набор данных: переиспользую (версия {DATASET_VERSION}, BENCH_SCALE={scale:g}).")
        return {"reused": True, "seconds": round(seconds, 1), "products": _products_count()}
    log(f"Набор данных: генерирую (версия {DATASET_VERSION}, BENCH_SCALE={scale:g}; было: {marker}).")
    started = time.monotonic()
    _marker_drop()
    sys.path.insert(0, str(ROOT / "bench"))
    import catalog_generate

    catalog_generate.SCALE = scale
    catalog_generate.PRODUCTS = max(int(100_000 * scale), 100)
    steps = catalog_generate.generate()
    if search_index != SEARCH_NONE:
        steps["поисковый индекс"] = round(search_index_build(env, log, mode=search_index), 1)
    seconds = time.monotonic() - started
    _marker_write(scale, seconds, search_index)
    return {"reused": False, "seconds": round(seconds, 1), "products": _products_count(), "steps": steps}


def database_bytes():
    """Вернуть размер базы бенчмарка на диске (pg_database_size), байт."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def _products_count():
    from commerce.catalog.models import Product

    return Product.objects.count()
