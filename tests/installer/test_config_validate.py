"""Созданные конфигурации проверяют сами их программы: systemd-analyze verify, nginx -t, gunicorn, compose."""

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, run_install

BASE = ("--non-interactive", "--domain", "shop.example.ru", "--admin-email", "boss@example.ru")
needs_systemd_analyze = pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="нет systemd-analyze")
needs_nginx = pytest.mark.skipif(not shutil.which("nginx"), reason="нет nginx (CI ставит nginx-light)")


def _generate(root, *flags):
    run_install("--root", str(root), *BASE, *flags)
    return root


def _executable(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)


@needs_systemd_analyze
def test_systemd_units_verify_without_a_single_warning(tmp_path):
    root = _generate(tmp_path / "root", "--tls", "internal")
    # Корень для verify: юниты самой системы (sysinit.target…) и программы из ExecStart.
    shutil.copytree("/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    for name in ("gunicorn", "celery", "python"):
        _executable(root / "opt/megashop/venv/bin" / name)
    # --root уже направил current на каталог выпуска; сам выпуск под --root не копируется.
    release = root / str((root / "opt/megashop/current").readlink()).lstrip("/")
    _executable(release / "install.sh")
    _executable(root / "bin/kill")
    units = root / "etc/systemd/system"
    shutil.copy(units / "megashop-worker@.service", units / "megashop-worker@imports.service")
    names = sorted(path.name for path in units.iterdir() if path.name != "megashop-worker@.service")
    assert "megashop-web.service" in names
    result = subprocess.run(
        ["systemd-analyze", "verify", f"--root={root}", *names], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr


@needs_systemd_analyze
def test_systemd_verify_catches_a_broken_unit(tmp_path):
    """Проверка выше не пустая: опечатка в юните даёт предупреждение."""
    root = _generate(tmp_path / "root", "--tls", "internal")
    shutil.copytree("/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    unit = root / "etc/systemd/system/megashop-beat.service"
    unit.write_text(unit.read_text().replace("UMask=", "UMaks="))
    result = subprocess.run(
        ["systemd-analyze", "verify", f"--root={root}", "megashop-beat.service"], capture_output=True, text=True
    )
    assert "Unknown key 'UMaks'" in result.stderr


def _nginx_test(tmp_path, site_text):
    """Выполнить nginx -t для сайта внутри минимального nginx.conf; вернуть вывод."""
    work = tmp_path / "nginx"
    (work / "logs").mkdir(parents=True, exist_ok=True)
    tls = work / "tls"
    tls.mkdir(exist_ok=True)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=shop.example.ru",
            "-keyout",
            str(tls / "key.pem"),
            "-out",
            str(tls / "cert.pem"),
        ],
        capture_output=True,
        check=True,
    )
    for path in ("/etc/megashop/tls/cert.pem", "/etc/letsencrypt/live/shop.example.ru/fullchain.pem"):
        site_text = site_text.replace(path, str(tls / "cert.pem"))
    for path in ("/etc/megashop/tls/key.pem", "/etc/letsencrypt/live/shop.example.ru/privkey.pem"):
        site_text = site_text.replace(path, str(tls / "key.pem"))
    (work / "site.conf").write_text(site_text)
    (work / "nginx.conf").write_text(
        f"error_log stderr;\npid {work}/nginx.pid;\nevents {{}}\nhttp {{ access_log off; include {work}/site.conf; }}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-c", str(work / "nginx.conf"), "-p", str(work)], capture_output=True, text=True, check=False
    )
    return result.returncode, result.stderr


@needs_nginx
@pytest.mark.parametrize("tls", ["internal", "acme", "none"])
def test_native_nginx_config_passes_nginx_t_without_warnings(tmp_path, tls):
    root = _generate(tmp_path / "root", "--tls", tls)
    code, output = _nginx_test(tmp_path, (root / "etc/nginx/sites-available/megashop.conf").read_text())
    assert code == 0, output
    assert "[warn]" not in output and "[emerg]" not in output, output
    assert "server_tokens off;" in (root / "etc/nginx/sites-available/megashop.conf").read_text()


@needs_nginx
def test_nginx_t_catches_a_broken_config(tmp_path):
    code, output = _nginx_test(tmp_path, "server { listen 80; server_tokens maybe; }\n")
    assert code != 0
    assert "[emerg]" in output


@needs_nginx
def test_docker_nginx_config_passes_nginx_t(tmp_path):
    from installer.options import Options
    from installer.proxy import nginx_config

    text = nginx_config(
        options=Options(domain="shop.example.ru", tls="internal"),
        web_address="127.0.0.1:8000",  # в контейнере — web:8000, здесь такого имени нет
        media_dir="/var/lib/megashop/media",
        static_dir="",
        acme_dir="/var/lib/megashop/acme",
        cert="/etc/megashop/tls/cert.pem",
        key="/etc/megashop/tls/key.pem",
    )
    code, output = _nginx_test(tmp_path, text)
    assert code == 0, output
    assert "location /static/" not in text  # статику в контейнере отдаёт WhiteNoise


def test_compose_with_generated_override_is_consistent(tmp_path):
    from installer.docker import compose_override
    from installer.options import Options

    base = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    override = yaml.safe_load(compose_override(options=Options(domain="shop.example.ru", tls="internal")))
    proxy = override["services"]["proxy"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    assert "healthcheck" in base["services"]["web"]
    named = {volume.split(":", 1)[0] for volume in proxy["volumes"] if not volume.startswith("./")}
    assert named <= set(base["volumes"])
    assert proxy["ports"] == ["80:80", "443:443"]
    # web доступен только с самого сервера: снаружи — через прокси.
    assert base["services"]["web"]["ports"] == ["127.0.0.1:${WEB_PORT:-8000}:8000"]
    assert base["services"]["migrate"]["command"] == ["python", "manage.py", "bootstrap"]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_config_sets_timeouts_and_hides_version(tmp_path):
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    environment = {"PATH": "/usr/bin:/bin", "GUNICORN_TIMEOUT": "42", "DJANGO_ENV": "development"}
    printed = subprocess.run(
        [str(gunicorn), "--config", "deploy/gunicorn.conf.py", "--print-config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    ).stdout
    settings = {}
    for line in printed.splitlines():
        name, separator, value = line.partition(" = ")
        if separator:
            settings[name.strip()] = value.strip()
    assert settings["timeout"] == "42"
    assert settings["graceful_timeout"] == "30"
    assert settings["wsgi_app"] == "config.wsgi:application"
    port = _free_port()
    environment |= {
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
    }
    server = subprocess.Popen(
        [str(gunicorn), "--config", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        headers = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/", timeout=2) as response:
                    headers = response.headers
            except urllib.error.HTTPError as error:
                headers = error.headers
            except OSError:
                time.sleep(0.2)
                continue
            break
        assert headers is not None, "gunicorn не ответил"
        assert headers["Server"] == "gunicorn"  # без номера версии
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert Path(ROOT / "deploy" / "gunicorn.conf.py").is_file()
