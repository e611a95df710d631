"""Установщик от начала до конца без systemd (--supervisor none) на своих PostgreSQL и Redis.

Частный кластер PostgreSQL (initdb на порту 55432) и Redis (порт 56379) поднимаются на время
теста; магазин ставится из архива выпуска под --prefix во временный каталог: venv из каталога
колёс (--offline --wheelhouse), gunicorn, воркер Celery и beat — дочерние процессы установщика.
Затем: здоровье, вход в админку Wagtail, backup → изменение данных → restore, upgrade на архив
текущего коммита, повторная установка без изменений, stop — и ни одного процесса после.

«Предыдущий выпуск» — архив HEAD~1, если его установщик уже умеет --supervisor none (есть
installer/processes.py); иначе — архив текущего коммита с другим VERSION (docs/backend/decisions.md,
сессия 6).
"""

import contextlib
import hashlib
import http.client
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from installer.envfile import envfile_parse
from installer.release import release_build, sha256_file

from .conftest import ROOT

pytestmark = pytest.mark.slow

PG_PORT = 55432
REDIS_PORT = 56379
WEB_PORTS = range(8220, 8240)
# Какой коммит — «предыдущий выпуск» (MEGASHOP_TEST_PREVIOUS_REF — проверить другой или запасной путь).
PREVIOUS = os.environ.get("MEGASHOP_TEST_PREVIOUS_REF", "HEAD~1")
WHEELHOUSE_CACHE = Path(os.environ.get("MEGASHOP_TEST_WHEELHOUSE_CACHE", "/tmp/megashop-wheelhouse"))


def _run(argv, *, env=None, timeout=600, check=True, user=None, cwd=None):
    """Выполнить команду; при ошибке — AssertionError с её выводом."""
    if user:
        argv = ["runuser", "-u", user, "--", *argv]
    result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout, check=False, cwd=cwd)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, argv))} → {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def _port_busy(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait_port(port, seconds=30):
    deadline = time.monotonic() + seconds
    while not _port_busy(port):
        assert time.monotonic() < deadline, f"порт {port} не открылся за {seconds} с"
        time.sleep(0.2)


def _postgres_bin(name):
    """Вернуть программу PostgreSQL старшей версии из /usr/lib/postgresql/*/bin (или из PATH)."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda path: int(path.parts[-3]))
    program = str(found[-1]) if found else shutil.which(name)
    assert program, f"нет {name}: apt-get install -y postgresql"
    return program


def _wheels(requirements):
    """Каталог колёс для текста requirements.txt и этой версии Python: собирается один раз, в /tmp."""
    digest = hashlib.sha256(requirements.encode()).hexdigest()[:16]
    target = WHEELHOUSE_CACHE / f"py{platform.python_version()}-{digest}"
    if not target.is_dir():
        WHEELHOUSE_CACHE.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(dir=WHEELHOUSE_CACHE, prefix=".partial-"))
        (partial / "requirements.txt").write_text(requirements)
        pip = [sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check"]
        _run([*pip, "-r", str(partial / "requirements.txt"), "-w", str(partial)], timeout=900)
        partial.rename(target)
    return target


def _archive_file(archive, name):
    with tarfile.open(archive) as tar:
        (member,) = [item for item in tar.getmembers() if item.name.split("/", 1)[-1] == name]
        return tar.extractfile(member).read().decode()


@pytest.fixture(scope="module")
def wheelhouse(releases, tmp_path_factory):
    """Каталог колёс обоих выпусков (ссылки на кэш в /tmp): установка не ходит в PyPI."""
    folders = {_wheels(_archive_file(archive, "requirements.txt")) for archive in releases}
    union = tmp_path_factory.mktemp("wheelhouse")
    for folder in sorted(folders):
        for wheel in folder.glob("*.whl"):
            if not (union / wheel.name).exists():
                (union / wheel.name).symlink_to(wheel)
    return union


@pytest.fixture(scope="module")
def services():
    """Поднять частный кластер PostgreSQL и Redis; после модуля остановить их и удалить данные."""
    for port in (PG_PORT, REDIS_PORT):
        assert not _port_busy(port), f"порт {port} занят: остался процесс прошлого прогона?"
    work = Path(tempfile.mkdtemp(prefix="megashop-e2e-services-"))
    work.chmod(0o755)
    user = "postgres" if os.geteuid() == 0 else None  # initdb не работает от root
    data = work / "pg"
    data.mkdir()
    if user:
        shutil.chown(data, user, user)
    redis = None
    try:
        _run([_postgres_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"], user=user)
        # Суперпользователь — без пароля только со своей машины; роль магазина — только по паролю.
        (data / "pg_hba.conf").write_text(
            "local all all trust\n"
            "host all postgres 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
            "host all all ::1/128 scram-sha-256\n"
        )
        options = f"-p {PG_PORT} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        pg_ctl = [_postgres_bin("pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-o", options]
        _run([*pg_ctl, "-w", "start"], user=user)
        redis = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_port(REDIS_PORT)
        yield {"psql": ["psql", "-X", "-q", "-At", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres"]}
    finally:
        if redis:
            redis.terminate()
            redis.wait(timeout=30)
        if (data / "postmaster.pid").exists():
            _run([_postgres_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], user=user, check=False)
        shutil.rmtree(work, ignore_errors=True)


def _repack(archive, *, version, output):
    """Вернуть копию архива выпуска с другим VERSION (и каталогом megashop-VERSION) и её .sha256."""
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
        (source,) = Path(work).iterdir()
        (source / "VERSION").write_text(f"{version}\n")
        target = output / f"megashop-{version}.tar.gz"
        with tarfile.open(target, "w:gz") as packed:
            packed.add(source, arcname=f"megashop-{version}")
    target.with_name(target.name + ".sha256").write_text(f"{sha256_file(target)}  {target.name}\n")
    return target


def _previous_knows_supervisor_none():
    probe = ["git", "-C", str(ROOT), "cat-file", "-e", f"{PREVIOUS}:installer/processes.py"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Вернуть (предыдущий, текущий) архивы выпуска: текущий — как make release из HEAD."""
    dist = tmp_path_factory.mktemp("dist")
    current, _ = release_build(source=ROOT, output=dist)
    if _previous_knows_supervisor_none():
        previous, _ = release_build(source=ROOT, output=dist, ref=PREVIOUS)
    else:
        version = current.name.removeprefix("megashop-").removesuffix(".tar.gz")
        previous = _repack(current, version=f"{version}-previous", output=dist)
    return previous, current


def _clean_environ(**extra):
    """Окружение администратора: без переменных тестов Django, базы и Redis этого прогона."""
    dropped = ("DJANGO_", "MEGASHOP_", "CELERY_", "PYTEST_", "PG", "GUNICORN_")
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(dropped) and key not in ("DATABASE_URL", "REDIS_URL", "VIRTUAL_ENV")
    }
    # Python, на котором собраны колёса (не venv тестов: из него venv установки не создаётся).
    return {**environment, "MEGASHOP_PYTHON": sys._base_executable, **extra}


def _app_processes(prefix):
    """Вернуть pid процессов, в командной строке которых есть каталог установки."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if str(prefix).encode() in command and int(entry.name) != os.getpid():
            found.append(int(entry.name))
    return found


def _processes_described(pids):
    """Описать процессы для сообщения теста: pid, группа, родитель, состояние, командная строка."""
    lines = []
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        lines.append(f"{pid} state={stat[0]} ppid={stat[1]} pgid={stat[2]}: {command[:300]}")
    return "\n".join(lines)


class Shop:
    """Установка под prefix и запросы к её gunicorn."""

    def __init__(self, prefix, port, wheelhouse):
        self.prefix, self.port, self.wheelhouse = prefix, port, wheelhouse
        self.timings = []  # (подкоманда, секунды) — печатаются в конце теста (pytest -s)

    def install_sh(self, *args, source=None, check=True):
        """Запустить install.sh выпуска source (по умолчанию — текущего установленного)."""
        script = Path(source or self.prefix / "opt/megashop/current") / "install.sh"
        started = time.monotonic()
        result = _run([str(script), "--prefix", str(self.prefix), *args], env=_clean_environ(), check=False)
        self.timings.append((args[0], round(time.monotonic() - started, 1)))
        if check and result.returncode != 0:
            raise AssertionError(f"install.sh {' '.join(args)} → {result.returncode}\n{result.stdout}\n{result.stderr}")
        return result

    def request(self, method, path, *, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def pids(self):
        """Вернуть {имя процесса: pid} из файлов pid установки."""
        run = self.prefix / "var/lib/megashop/run"
        return {path.stem: int(path.read_text()) for path in sorted(run.glob("*.pid"))}

    def env(self):
        return envfile_parse((self.prefix / "etc/megashop/megashop.env").read_text())

    def logs(self):
        parts = []
        for log in sorted((self.prefix / "var/lib/megashop/log").glob("*.log")):
            parts.append(f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-30:]))
        return "\n".join(parts)


def _cookies(headers):
    jar = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    return {key: morsel.value for key, morsel in jar.items()}


def _admin_login(shop, password):
    """Войти в админку Wagtail формой (csrf из cookie и страницы) и открыть /admin/ с сессией.

    Без входа /admin/ отвечает 302 на страницу входа — ответ 200 и есть доказательство входа.
    """
    status, headers, page = shop.request("GET", "/admin/login/")
    assert status == 200, page[:500]
    cookies = _cookies(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "admin", "password": password, "next": "/admin/"}
    )
    status, headers, page = shop.request(
        "POST",
        "/admin/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Origin": f"http://127.0.0.1:{shop.port}",
        },
    )
    assert status == 302, f"вход не удался ({status}): {page[:1000]}"
    session = _cookies(headers)["sessionid"]
    status, _headers, page = shop.request("GET", "/admin/", headers={"Cookie": f"sessionid={session}"})
    assert status == 200, page[:500]


def _sql(services, query):
    return _run([*services["psql"], "-d", "megashop", "-c", query]).stdout.strip()


@pytest.fixture
def shop(wheelhouse):
    """Каталог установки; после теста — stop и принудительно всё, что осталось от установки."""
    prefix = Path(tempfile.mkdtemp(prefix="megashop-e2e-"))
    port = next(port for port in WEB_PORTS if not _port_busy(port))
    installed = Shop(prefix, port, wheelhouse)
    yield installed
    if (prefix / "opt/megashop/current/install.sh").exists():
        installed.install_sh("stop", check=False)
    for pid in _app_processes(prefix):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(prefix, ignore_errors=True)


def test_install_backup_restore_upgrade_rerun_without_systemd(services, releases, shop):
    previous, current = releases
    work = shop.prefix.parent / f"{shop.prefix.name}-release"
    with tarfile.open(previous) as tar:
        tar.extractall(work, filter="data")
    source = work / previous.name.removesuffix(".tar.gz")
    offline = ("--offline", "--wheelhouse", str(shop.wheelhouse))
    try:
        # when: первая установка из «предыдущего» выпуска
        result = shop.install_sh(
            "install",
            *("--non-interactive", "--supervisor", "none", "--tls", "none", "--no-demo", "--no-packages"),
            *("--domain", "localhost", "--admin-email", "admin@example.ru", "--skip-dns"),
            *("--db-host", "127.0.0.1", "--db-port", str(PG_PORT), "--db-superuser", "postgres"),
            *("--redis-url", f"redis://127.0.0.1:{REDIS_PORT}/0", "--web-bind", f"127.0.0.1:{shop.port}"),
            *offline,
            source=source,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    password = re.search(r"показан один раз\): (\S+)", result.stdout).group(1)

    # then: всё под prefix, процессы работают, магазин здоров
    env = shop.env()
    assert password == env["DJANGO_SUPERUSER_PASSWORD"]
    assert env["DATABASE_URL"] == f"postgres://megashop:{env['POSTGRES_PASSWORD']}@127.0.0.1:{PG_PORT}/megashop"
    assert env["MEDIA_ROOT"] == f"{shop.prefix}/var/lib/megashop/media"
    assert not (shop.prefix / "etc/systemd").exists()
    assert set(shop.pids()) == {"web", "worker", "beat"}, shop.logs()
    status = shop.install_sh("status")
    assert "Здоровье /api/health/: 200 ok" in status.stdout, status.stdout + shop.logs()
    assert status.stdout.count("работает (pid") == 3
    assert f"Версия: {source.name.removeprefix('megashop-')}" in status.stdout
    code, _headers, body = shop.request("GET", "/api/health/")
    assert code == 200 and '"broker"' in body
    # Воркер Celery на частном Redis отвечает брокеру.
    celery = shop.prefix / "opt/megashop/venv/bin/celery"
    ping = _run(
        [str(celery), "--workdir", "site", "-A", "config", "inspect", "ping", "--timeout", "10"],
        env={**_clean_environ(), **env},
        cwd=shop.prefix / "opt/megashop/current",
        check=False,
    )
    assert "pong" in ping.stdout, ping.stdout + ping.stderr + shop.logs()
    _admin_login(shop, password)

    # when: копия → изменение базы и медиа → восстановление
    shop.install_sh("backup")
    (archive,) = (shop.prefix / "var/backups/megashop").glob("megashop-*.tar")
    name_in_backup = _sql(services, "SELECT first_name FROM accounts_user WHERE username = 'admin'")
    _sql(services, "UPDATE accounts_user SET first_name = 'после-копии' WHERE username = 'admin'")
    media_file = shop.prefix / "var/lib/megashop/media/after-backup.txt"
    media_file.write_text("позже копии")
    before_restore = shop.pids()
    restored = shop.install_sh("restore", str(archive), "--yes")

    # then: данные как в копии, процессы перезапущены, магазин отвечает
    assert "магазин отвечает" in restored.stdout
    assert _sql(services, "SELECT first_name FROM accounts_user WHERE username = 'admin'") == name_in_backup
    assert not media_file.exists()
    after_restore = shop.pids()
    assert set(after_restore) == {"web", "worker", "beat"}
    assert all(after_restore[name] != before_restore[name] for name in after_restore)

    # when: обновление на архив текущего коммита
    upgraded = shop.install_sh("upgrade", str(current), *offline)

    # then: новый выпуск, процессы перезапущены, прежний выпуск на месте
    version = current.name.removeprefix("megashop-").removesuffix(".tar.gz")
    assert f"Обновлено до {version}." in upgraded.stdout, upgraded.stdout
    assert (shop.prefix / "opt/megashop/current").readlink() == shop.prefix / f"opt/megashop/releases/{version}"
    assert (shop.prefix / "opt/megashop/releases" / source.name.removeprefix("megashop-")).is_dir()
    assert all(shop.pids()[name] != after_restore[name] for name in after_restore)
    status = shop.install_sh("status")
    assert f"Версия: {version}" in status.stdout and "200 ok" in status.stdout, status.stdout + shop.logs()
    assert len(list((shop.prefix / "var/backups/megashop").glob("megashop-*.tar"))) == 2  # копия перед обновлением
    _admin_login(shop, password)

    # when: повторный запуск установки без флагов — ответы из install.json
    pids = shop.pids()
    rerun = shop.install_sh("install", "--non-interactive", *offline)

    # then: ничего не изменилось, процессы те же
    assert "Изменено: ничего" in rerun.stdout, rerun.stdout
    assert "Пароль администратора прежний" in rerun.stdout
    assert shop.pids() == pids

    # when: остановка — после неё ни одного процесса установки
    shop.install_sh("stop")
    assert _app_processes(shop.prefix) == [], _processes_described(_app_processes(shop.prefix))
    assert not _port_busy(shop.port)
    print("\nВремя подкоманд install.sh, с:", ", ".join(f"{name} {seconds}" for name, seconds in shop.timings))
