"""Процессы магазина без systemd (--supervisor none): web, один воркер всех очередей и beat.

Установщик сам запускает их дочерними процессами в отдельных сессиях (группа процессов на
каждый), пишет pid в ``<data>/run/ИМЯ.pid`` и журнал в ``<data>/log/ИМЯ.log``. Остановка —
SIGTERM всей группе (gunicorn и Celery завершаются мягко), через TIMEOUT секунд — SIGKILL.
Pid из файла принимается, только если командная строка процесса ведёт в venv установки:
чужой процесс, получивший тот же номер, не будет остановлен.
"""

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

from installer.options import QUEUES
from installer.plan import InstallerError

NAMES = ("web", "worker", "beat")
WORKER_CONCURRENCY = 2
STOP_SECONDS = 40


def process_commands(layout):
    """Вернуть {имя: argv} процессов магазина — те же команды, что в юнитах systemd."""
    venv, current = layout.venv, layout.current
    commands = {
        "web": (f"{venv}/bin/gunicorn", "--config", f"{current}/deploy/gunicorn.conf.py"),
        "worker": (
            f"{venv}/bin/celery",
            *("--workdir", "site", "-A", "config", "worker", "--loglevel", "INFO"),
            *("--queues", ",".join(QUEUES), "--hostname", "megashop@%h"),
            *("--concurrency", str(WORKER_CONCURRENCY)),
        ),
        "beat": (
            f"{venv}/bin/celery",
            *("--workdir", "site", "-A", "config", "beat", "--loglevel", "INFO"),
            *("--schedule", f"{layout.data}/celerybeat-schedule"),
        ),
    }
    if layout.system_user:
        return {name: ("runuser", "-u", layout.user, "--", *argv) for name, argv in commands.items()}
    return commands


def _pid_file(layout, name):
    return Path(layout.run) / f"{name}.pid"


def process_pid(layout, name):
    """Вернуть pid работающего процесса name этой установки или None."""
    try:
        pid = int(_pid_file(layout, name).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    _reap(pid)
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace").rsplit(")", 1)[1].split()[0]
    except OSError:
        return None
    if state == "Z" or layout.venv not in command:
        return None
    return pid


def _reap(pid):
    """Забрать код завершившегося потомка (иначе он остаётся зомби и кажется живым)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def processes_state(layout):
    """Вернуть [(имя, pid или None)] по всем процессам магазина."""
    return [(name, process_pid(layout, name)) for name in NAMES]


def _environment(env, layout):
    """Окружение процесса: как у юнита systemd — только файл окружения и самое нужное."""
    base = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": layout.data,
    }
    return {**base, **dict(env), "GUNICORN_BIND": layout.web_bind}


def processes_start(*, layout, env):
    """Запустить незапущенные процессы магазина; вернуть имена запущенных сейчас."""
    Path(layout.run).mkdir(parents=True, exist_ok=True)
    Path(layout.logs).mkdir(parents=True, exist_ok=True)
    started = []
    for name, argv in process_commands(layout).items():
        if process_pid(layout, name):
            continue
        with open(Path(layout.logs) / f"{name}.log", "ab") as log:
            try:
                process = subprocess.Popen(
                    argv,
                    cwd=layout.current,
                    env=_environment(env, layout),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            except OSError as error:
                raise InstallerError(f"Не запустился процесс {name} ({argv[0]}): {error}") from error
        _pid_file(layout, name).write_text(f"{process.pid}\n", encoding="ascii")
        started.append(name)
    return started


def processes_stop(*, layout, seconds=STOP_SECONDS, sleep=time.sleep):
    """Остановить процессы магазина (SIGTERM группе, затем SIGKILL); вернуть имена остановленных.

    Вместе с процессами из pid-файлов останавливаются и «потерянные» — запущенные из venv этой
    установки, но без pid-файла (остались после сбоя или гонки запусков): второй beat без
    остановки дважды ставил бы задачи по расписанию.
    """
    running = [(name, pid) for name, pid in processes_state(layout) if pid]
    groups = [pid for _name, pid in running]
    groups += _stray_groups(layout, known=set(groups))
    for pid in groups:
        _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + seconds
    for pid in groups:
        while _group_alive(pid) and time.monotonic() < deadline:
            sleep(0.2)
        if _group_alive(pid):
            _signal_group(pid, signal.SIGKILL)
            while _group_alive(pid):
                sleep(0.1)
    for name in NAMES:
        _pid_file(layout, name).unlink(missing_ok=True)
    return [name for name, _pid in running]


def _stray_groups(layout, *, known):
    """Вернуть группы процессов из venv установки, которых нет среди известных (без pid-файла).

    Своя группа (того, кто вызвал остановку) не трогается никогда.
    """
    marker = f"{layout.venv}/bin/".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker in command:
            found.add(_group_of(entry))
    return sorted(found - set(known) - {None, os.getpgrp()})


def processes_restart(*, layout, env):
    """Перезапустить процессы магазина (новый код, новые настройки)."""
    processes_stop(layout=layout)
    return processes_start(layout=layout, env=env)


def _signal_group(pid, number):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, number)


def _group_alive(pid):
    """Сказать, жив ли ещё кто-то из группы процессов pid (зомби своего потомка — нет)."""
    _reap(pid)
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    try:
        members = [path for path in Path("/proc").iterdir() if path.name.isdigit() and _group_of(path) == pid]
    except OSError:
        return True
    return bool(members)


def _group_of(path):
    try:
        fields = (path / "stat").read_text(encoding="utf-8", errors="replace").rsplit(")", 1)[1].split()
    except OSError:
        return None
    # Поля после имени: состояние, ppid, pgrp; зомби не считаются живыми.
    return int(fields[2]) if fields[0] != "Z" else None
