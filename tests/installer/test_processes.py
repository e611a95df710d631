"""Процессы без systemd (--supervisor none): запуск, pid-файлы, чистое окружение, остановка группы."""

import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from installer.layout import layout_build
from installer.processes import NAMES, process_pid, processes_start, processes_state, processes_stop

# Поддельные gunicorn и celery: пишут своё окружение, заводят потомка (как воркеры) и ждут.
FAKE = """#!{python}
import json, os, signal, subprocess, sys, time
name = "web" if sys.argv[0].endswith("gunicorn") else sys.argv[sys.argv.index("config") + 1]
with open(os.path.join(os.environ["HOME"], name + ".json"), "w") as handle:
    json.dump({{"env": dict(os.environ), "argv": sys.argv, "cwd": os.getcwd()}}, handle)
if os.environ.get("IGNORE_TERM"):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
time.sleep(600)
"""


@pytest.fixture
def layout(tmp_path):
    """Установка под prefix с поддельными программами в venv и каталогом выпуска."""
    layout = replace(layout_build(str(tmp_path / "prefix")), web_bind="127.0.0.1:8229")
    bin_dir = Path(layout.venv) / "bin"
    bin_dir.mkdir(parents=True)
    for program in ("gunicorn", "celery"):
        (bin_dir / program).write_text(FAKE.format(python=sys.executable))
        (bin_dir / program).chmod(0o755)
    Path(layout.current).mkdir(parents=True)
    Path(layout.data).mkdir(parents=True)
    yield layout
    processes_stop(layout=layout, seconds=1)


def _wait_files(layout, seconds=30):
    deadline = time.monotonic() + seconds
    paths = [Path(layout.data) / f"{name}.json" for name in NAMES]
    while not all(path.exists() and path.stat().st_size for path in paths):
        assert time.monotonic() < deadline, "поддельные процессы не запустились"
        time.sleep(0.1)
    time.sleep(0.3)  # потомки успевают запуститься
    return {path.stem: json.loads(path.read_text()) for path in paths}


def _group(pid):
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def test_start_writes_pid_files_and_gives_only_the_env_file(layout, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///leaked-from-parent")
    monkeypatch.setenv("LEAKED_FROM_PARENT", "1")
    env = (("DJANGO_ENV", "production"), ("DATABASE_URL", "postgres://megashop@127.0.0.1/megashop"))

    started = processes_start(layout=layout, env=env)

    assert started == list(NAMES)
    seen = _wait_files(layout)
    assert {name: pid is not None for name, pid in processes_state(layout)} == dict.fromkeys(NAMES, True)
    for name in NAMES:
        assert seen[name]["env"]["DATABASE_URL"] == "postgres://megashop@127.0.0.1/megashop"
        assert seen[name]["env"]["DJANGO_ENV"] == "production"
        assert seen[name]["cwd"] == layout.current
        assert "LEAKED_FROM_PARENT" not in seen[name]["env"]
    assert seen["web"]["env"]["GUNICORN_BIND"] == "127.0.0.1:8229"
    assert "default,imports,integrations,notifications" in seen["worker"]["argv"]
    assert f"{layout.data}/celerybeat-schedule" in seen["beat"]["argv"]
    # Повторный запуск не плодит копий.
    assert processes_start(layout=layout, env=env) == []


def test_stop_ends_every_process_of_each_group(layout):
    processes_start(layout=layout, env=())
    _wait_files(layout)
    groups = dict(processes_state(layout))
    assert all(len(_group(pid)) == 2 for pid in groups.values())  # процесс и его потомок

    stopped = processes_stop(layout=layout)

    assert stopped == list(NAMES)
    assert all(_group(pid) == [] for pid in groups.values())
    assert list(Path(layout.run).glob("*.pid")) == []
    assert processes_state(layout) == [(name, None) for name in NAMES]


def test_process_ignoring_sigterm_is_killed_after_the_timeout(layout):
    processes_start(layout=layout, env=(("IGNORE_TERM", "1"),))
    _wait_files(layout)
    web = process_pid(layout, "web")

    processes_stop(layout=layout, seconds=1)

    assert _group(web) == []


def test_a_foreign_process_with_the_recorded_pid_is_left_alone(layout):
    Path(layout.run).mkdir(parents=True)
    (Path(layout.run) / "web.pid").write_text(f"{os.getpid()}\n")

    assert process_pid(layout, "web") is None
    assert processes_stop(layout=layout) == []
    assert Path(f"/proc/{os.getpid()}").exists()


def test_a_stray_process_of_the_install_without_a_pid_file_is_stopped_too(layout):
    # given: beat запущен, но его pid-файл потерян (сбой, гонка запусков) — второй beat ставил бы задачи дважды
    processes_start(layout=layout, env=())
    _wait_files(layout)
    beat = process_pid(layout, "beat")
    (Path(layout.run) / "beat.pid").unlink()

    # when
    processes_stop(layout=layout, seconds=5)

    # then
    assert _group(beat) == []
