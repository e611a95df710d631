"""Шаг обмена для `make bench`: экспорт и импорт всего каталога одним файлом, отдельным процессом.

Каждая фаза — свой процесс, чтобы пиковая память (ru_maxrss) была её собственной. Экспорт
пишет весь каталог базы бенчмарка в файл сервисом commerce.exchange; импорт применяет этот
же файл обратно (все строки совпадают с базой — путь «сверить и ничего не менять», как
ежедневная выгрузка из учётной системы). Данные бенчмарка при этом не меняются.

    python bench/exchange_step.py export PATH [--format xlsx|csv]
    python bench/exchange_step.py import PATH

Печатает одну строку JSON: rows, seconds, peak_mb (и bytes для экспорта).
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def exchange_available():
    """Есть ли в проекте сервисы обмена (приложение commerce.exchange)."""
    return (ROOT / "commerce" / "exchange" / "services.py").exists()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=["export", "import"])
    parser.add_argument("path")
    parser.add_argument("--format", default="xlsx", choices=["xlsx", "csv"])
    parser.add_argument("--chunk-rows", type=int, default=2000)
    args = parser.parse_args()
    import django

    django.setup()
    # Фазы — из бенчмарка обмена (bench/exchange_bench.py): те же вызовы сервисов.
    import exchange_bench

    if args.phase == "export":
        result = exchange_bench.phase_export(args.path, file_format=args.format)
    else:
        result = exchange_bench.phase_import(args.path, chunk_rows=args.chunk_rows)
        result.pop("counts", None)
    result["peak_mb"] = round(exchange_bench.peak_mb(), 1)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
