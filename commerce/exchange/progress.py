"""Ход импорта и экспорта в общем кэше (Redis): процент, строки, строк в секунду.

Импорт идёт одной транзакцией, поэтому ход нельзя писать в строку ImportJob — её новое
состояние никто не увидит до фиксации. Кэш виден сразу и админке, и API, и другим процессам.
"""

from django.core.cache import cache

PROGRESS_TIMEOUT = 24 * 60 * 60


def progress_key(kind, job_id):
    return f"exchange:progress:{kind}:{job_id}"


def progress_set(*, kind, job_id, percent, rows, rows_per_second, stage):
    """Записать ход задачи; ошибка кэша не должна останавливать импорт."""
    try:
        cache.set(
            progress_key(kind, job_id),
            {"percent": round(percent, 1), "rows": rows, "rows_per_second": round(rows_per_second, 1), "stage": stage},
            timeout=PROGRESS_TIMEOUT,
        )
    except Exception:  # noqa: BLE001 — кэш недоступен: ход не показан, но импорт идёт
        return


def progress_get(*, kind, job_id):
    """Вернуть ход задачи из кэша или None."""
    try:
        return cache.get(progress_key(kind, job_id))
    except Exception:  # noqa: BLE001
        return None
