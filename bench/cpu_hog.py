"""Занятое второе ядро для замеров: процесс с пустым циклом, прикреплённый к одному ядру.

Цель «импорт при занятом втором ядре» (issue #31) — это импорт рядом с другой работой машины
(воркер Celery, витрина): процессы импорта (разбор листа, сверка, сервер PostgreSQL) не
прикрепляются никуда, а одно ядро целиком занимает пустой цикл (os.sched_setaffinity). Процесс
убивается по своему pid при выходе из блока, даже если замер упал.
"""

import os
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass

# Пустой цикл на заданном ядре; ядро — первый аргумент.
HOG_CODE = "import os, sys\nos.sched_setaffinity(0, {int(sys.argv[1])})\nwhile True:\n    pass\n"


def hog_cpu():
    """Вернуть номер ядра для нагрузки: последнее из доступных процессу (None — ядро одно)."""
    cpus = sorted(os.sched_getaffinity(0))
    return cpus[-1] if len(cpus) > 1 else None


@dataclass(frozen=True)
class Hog:
    """Запущенная нагрузка: ядро и pid процесса (cpu None — нагрузки нет)."""

    cpu: int | None = None
    pid: int | None = None


@contextmanager
def cpu_hog(enabled=True):
    """Занять одно ядро пустым циклом на время блока with; вернуть Hog (cpu None — без нагрузки)."""
    cpu = hog_cpu() if enabled else None
    if cpu is None:
        yield Hog()
        return
    process = subprocess.Popen([sys.executable, "-c", HOG_CODE, str(cpu)])
    try:
        yield Hog(cpu=cpu, pid=process.pid)
    finally:
        process.kill()
        process.wait()
