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


def dataset_marker():
    """Вернуть (версия, масштаб) из отметки или None, если набора нет."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT version, scale FROM {MARKER_TABLE} ORDER BY created_at DESC LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
    return (row[0], float(row[1])) if row else None


def _marker_write(scale, seconds):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} ("
            "version text NOT NULL, scale numeric NOT NULL, seconds numeric NOT NULL, "
            "created_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (version, scale, seconds) VALUES (%s, %s, %s)",  # noqa: S608
            [DATASET_VERSION, scale, round(seconds, 1)],
        )


def _marker_drop():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")


def migrate(env):
    """Применить миграции к базе бенчмарка (отдельным процессом, как в production)."""
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"], check=True, env=env, cwd=ROOT
    )


def dataset_ensure(*, scale, env, force=False, log=print):
    """Переиспользовать набор данных нужного масштаба или сгенерировать его заново.

    Возвращает словарь: reused, seconds (генерации, 0 при переиспользовании), products.
    """
    migrate(env)
    marker = dataset_marker()
    if not force and marker == (DATASET_VERSION, float(scale)):
        log(f"Набор данных: переиспользую (версия {DATASET_VERSION}, BENCH_SCALE={scale:g}).")
        return {"reused": True, "seconds": 0.0, "products": _products_count()}
    log(f"Набор данных: генерирую (версия {DATASET_VERSION}, BENCH_SCALE={scale:g}; было: {marker}).")
    started = time.monotonic()
    _marker_drop()
    sys.path.insert(0, str(ROOT / "bench"))
    import catalog_generate

    catalog_generate.SCALE = scale
    catalog_generate.PRODUCTS = max(int(100_000 * scale), 100)
    catalog_generate.generate()
    index_started = time.monotonic()
    # Поиск читает свой индекс; COPY сигналов не шлёт — индекс строится целиком.
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "update_index", "-v", "0"],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    log(f"  поисковый индекс: {time.monotonic() - index_started:.1f} с")
    seconds = time.monotonic() - started
    _marker_write(scale, seconds)
    return {"reused": False, "seconds": round(seconds, 1), "products": _products_count()}


def _products_count():
    from commerce.catalog.models import Product

    return Product.objects.count()
