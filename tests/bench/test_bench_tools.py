"""Инструменты бенчмарка без базы: занятое ядро (--cpu-hog), выбор фаз обмена, предел BENCH_SCALE."""

import importlib.util
import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import cpu_hog  # noqa: E402


def _bench_module(name):
    """Загрузить скрипт bench/<name>.py как модуль (имена вроде run заняты в sys.modules)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cpu_ticks(pid):
    """Вернуть процессорное время процесса (utime + stime) в тиках из /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


two_cores = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="нагрузка занимает второе ядро; ядро одно")


@two_cores
def test_cpu_hog_busies_one_pinned_core_and_is_killed_after_the_block():
    # given / when: блок с нагрузкой
    with cpu_hog.cpu_hog() as hog:
        # then: процесс прикреплён ровно к одному ядру из доступных и тратит процессорное время
        assert hog.cpu in os.sched_getaffinity(0)
        deadline = time.monotonic() + 30
        while os.sched_getaffinity(hog.pid) != {hog.cpu} and time.monotonic() < deadline:
            time.sleep(0.05)  # ядро процесс выбирает себе сам, первой строкой
        assert os.sched_getaffinity(hog.pid) == {hog.cpu}
        while _cpu_ticks(hog.pid) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _cpu_ticks(hog.pid) > 0
        pid = hog.pid
    # then: после блока процесса нет (убит и собран, не зомби)
    assert not Path(f"/proc/{pid}").exists()


@two_cores
def test_cpu_hog_is_killed_when_the_measured_phase_fails():
    pid = None
    with pytest.raises(RuntimeError), cpu_hog.cpu_hog() as hog:
        pid = hog.pid
        raise RuntimeError("фаза упала")
    assert pid is not None
    assert not Path(f"/proc/{pid}").exists()


def test_cpu_hog_disabled_starts_no_process():
    with cpu_hog.cpu_hog(False) as hog:
        assert hog == cpu_hog.Hog()


def test_exchange_plan_keeps_preparation_and_order_for_selected_phases():
    exchange_bench = _bench_module("exchange_bench")

    assert exchange_bench.plan_select(None) == list(exchange_bench.FULL_PLAN)
    assert exchange_bench.plan_select("import-update, import-create,export-xlsx") == [
        "reset", "write-files", "import-create", "export-xlsx", "import-update",
    ]  # fmt: skip
    assert exchange_bench.plan_select("baseline-ours") == ["reset", "write-files", "reset", "baseline-ours"]
    with pytest.raises(SystemExit, match="import-everything"):
        exchange_bench.plan_select("import-everything")


def test_bench_scale_accepts_a_million_products_and_refuses_more():
    run = _bench_module("run")

    assert run.parse_args(["--scale", "10"]).scale == 10
    with pytest.raises(SystemExit):
        run.parse_args(["--scale", "10.5"])
