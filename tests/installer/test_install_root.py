"""./install.sh --root DIR: все созданные файлы, права, снимки, идемпотентность, --dry-run, docker."""

import os
import re
import stat

import pytest

from installer.envfile import SECRET_KEYS, envfile_parse

from .conftest import ROOT, run_install

SNAPSHOTS = ROOT / "tests" / "installer" / "snapshots"
BASE = ("--domain", "shop.example.ru", "--tls", "internal", "--admin-email", "boss@example.ru")
GENERATED = (
    "etc/megashop/megashop.env",
    "etc/megashop/install.json",
    "etc/systemd/system/megashop-web.service",
    "etc/systemd/system/megashop-worker@.service",
    "etc/systemd/system/megashop-beat.service",
    "etc/systemd/system/megashop-backup.service",
    "etc/systemd/system/megashop-backup.timer",
    "etc/systemd/system/megashop.target",
    "etc/nginx/sites-available/megashop.conf",
)


def _normalized(text):
    """Заменить секреты заглушкой: снимок не зависит от случайных ключей."""
    lines = []
    for line in text.splitlines():
        key = line.split("=", 1)[0]
        if key in SECRET_KEYS:
            line = f"{key}=<секрет>"
        lines.append(re.sub(r"megashop:[^@]+@", "megashop:<секрет>@", line))
    return "\n".join(lines) + "\n"


def assert_snapshot(name, text):
    """Сравнить text со снимком tests/installer/snapshots/name (UPDATE_SNAPSHOTS=1 — перезаписать)."""
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"нет снимка {name}: запустите с UPDATE_SNAPSHOTS=1 и проверьте его глазами"
    assert text == path.read_text(encoding="utf-8")


def test_native_install_writes_every_file_with_right_modes(install_root):
    result = install_root(*BASE)
    root = install_root.root
    for relative in GENERATED:
        assert (root / relative).is_file(), relative
    assert stat.S_IMODE((root / "etc/megashop/megashop.env").stat().st_mode) == 0o600
    assert stat.S_IMODE((root / "etc/megashop/tls").stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "var/backups/megashop").stat().st_mode) == 0o700
    assert os.readlink(root / "etc/nginx/sites-enabled/megashop.conf") == "/etc/nginx/sites-available/megashop.conf"
    env = envfile_parse((root / "etc/megashop/megashop.env").read_text())
    assert env["DJANGO_ENV"] == "production"
    assert env["ALLOWED_HOSTS"] == "shop.example.ru,127.0.0.1,localhost"
    assert env["DATABASE_URL"] == f"postgres://megashop:{env['POSTGRES_PASSWORD']}@localhost:5432/megashop"
    # Пароль администратора показан один раз — при создании.
    assert f"показан один раз): {env['DJANGO_SUPERUSER_PASSWORD']}" in result.stdout
    # --root: ни одной системной команды, выпуск не копируется.
    assert "системные команды не выполнялись" in result.stdout
    assert list((root / "opt/megashop/releases").iterdir()) == []


@pytest.mark.parametrize("relative", GENERATED)
def test_generated_files_match_snapshots(install_root, relative):
    install_root(*BASE)
    text = (install_root.root / relative).read_text(encoding="utf-8")
    assert_snapshot("native-" + relative.rsplit("/", 1)[-1], _normalized(text))


def test_nginx_without_tls_and_with_acme_match_snapshots(tmp_path):
    plain = tmp_path / "plain"
    run_install("--root", str(plain), "--non-interactive", "--domain", "shop.example.ru", "--tls", "none")
    assert_snapshot("native-http-megashop.conf", (plain / "etc/nginx/sites-available/megashop.conf").read_text())
    acme = tmp_path / "acme"
    run_install("--root", str(acme), "--non-interactive", "--domain", "shop.example.ru", "--tls", "acme")
    site = (acme / "etc/nginx/sites-available/megashop.conf").read_text()
    assert "ssl_certificate /etc/letsencrypt/live/shop.example.ru/fullchain.pem;" in site
    env = envfile_parse((plain / "etc/megashop/megashop.env").read_text())
    assert env["SECURE_SSL_REDIRECT"] == "false"
    assert env["CSRF_TRUSTED_ORIGINS"] == "http://shop.example.ru"


def test_rerun_changes_nothing_and_keeps_secrets(install_root):
    install_root(*BASE)
    env_path = install_root.root / "etc/megashop/megashop.env"
    before = {relative: (install_root.root / relative).read_bytes() for relative in GENERATED}
    result = install_root()  # без флагов: ответы берутся из install.json
    assert "Изменено: ничего" in result.stdout
    assert "Пароль администратора прежний" in result.stdout
    assert {relative: (install_root.root / relative).read_bytes() for relative in GENERATED} == before
    secret_before = envfile_parse(before[GENERATED[0]].decode())["SECRET_KEY"]
    assert envfile_parse(env_path.read_text())["SECRET_KEY"] == secret_before


def test_rerun_keeps_admin_edits_and_changes_only_what_was_asked(install_root):
    install_root(*BASE)
    env_path = install_root.root / "etc/megashop/megashop.env"
    original = envfile_parse(env_path.read_text())
    env_path.write_text(env_path.read_text() + "# своё\nSEARCH_BACKEND=opensearch2\n")
    unit = (install_root.root / "etc/systemd/system/megashop-web.service").read_bytes()
    result = install_root("--domain", "new.example.ru")
    updated = envfile_parse(env_path.read_text())
    assert updated["ALLOWED_HOSTS"] == "new.example.ru,127.0.0.1,localhost"
    assert updated["SEARCH_BACKEND"] == "opensearch2"
    assert "# своё" in env_path.read_text()
    assert {key: updated[key] for key in SECRET_KEYS} == {key: original[key] for key in SECRET_KEYS}
    assert (install_root.root / "etc/systemd/system/megashop-web.service").read_bytes() == unit
    assert "файл /etc/nginx/sites-available/megashop.conf" in result.stdout
    assert "megashop-web.service" not in result.stdout.split("Изменено:")[1].split("\n")[0]


def test_lost_secret_is_regenerated_and_others_are_kept(install_root):
    install_root(*BASE)
    env_path = install_root.root / "etc/megashop/megashop.env"
    original = envfile_parse(env_path.read_text())
    env_path.write_text("\n".join(line for line in env_path.read_text().splitlines() if not line.startswith("JWT_")))
    install_root()
    updated = envfile_parse(env_path.read_text())
    assert updated["SECRET_KEY"] == original["SECRET_KEY"]
    assert updated["JWT_SIGNING_KEY"] and updated["JWT_SIGNING_KEY"] != original["JWT_SIGNING_KEY"]


def test_dry_run_prints_files_and_commands_without_touching_anything(tmp_path):
    root = tmp_path / "untouched"
    result = run_install("--dry-run", "--root", str(root), "--non-interactive", *BASE)
    assert not root.exists()
    assert "--- файл /etc/megashop/megashop.env (права 0600, root:root, будет записан)" in result.stdout
    assert "SECRET_KEY=********" in result.stdout
    assert "DATABASE_URL=********" in result.stdout
    manage = "/opt/megashop/venv/bin/python /opt/megashop/current/manage.py"
    assert f"$ runuser -u megashop -- {manage} bootstrap" in result.stdout
    assert "$ systemctl daemon-reload" in result.stdout
    assert "$ nginx -t -q" in result.stdout
    assert "apt-get install -y -q --no-install-recommends postgresql redis-server nginx" in result.stdout
    assert "--dry-run: ничего не изменено." in result.stdout
    assert "показан один раз" not in result.stdout


def test_supervisor_none_writes_no_units(install_root):
    install_root(*BASE, "--supervisor", "none")
    assert (install_root.root / "etc/megashop/megashop.env").is_file()
    assert not (install_root.root / "etc/systemd/system").exists()


def test_offline_requires_wheelhouse_and_uses_it(tmp_path):
    result = run_install("--offline", "--root", str(tmp_path), "--non-interactive", *BASE, check=False)
    assert result.returncode == 2
    assert "--offline требует --wheelhouse" in result.stderr
    result = run_install(
        "--dry-run", "--offline", "--wheelhouse", "/srv/wheels", "--root", str(tmp_path), "--non-interactive", *BASE
    )
    assert "--no-index --find-links /srv/wheels -r /opt/megashop/current/requirements.txt" in result.stdout


def test_environment_variables_answer_questions(install_root):
    install_root(env={"MEGASHOP_DOMAIN": "env.example.ru", "MEGASHOP_TLS": "none", "MEGASHOP_DEMO": "yes"})
    saved = (install_root.root / "etc/megashop/install.json").read_text()
    assert '"domain": "env.example.ru"' in saved
    assert '"demo": true' in saved


def test_bad_answer_exits_with_russian_message(install_root):
    result = install_root("--domain", "not a domain", check=False)
    assert result.returncode == 1
    assert "не похож на имя хоста" in result.stderr


def test_wrapper_refuses_old_python(tmp_path):
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\nif [ \"$1\" = -V ]; then echo 'Python 3.9.2'; exit 0; fi\nexit 1\n")
    fake.chmod(0o755)
    result = run_install("--help", env={"MEGASHOP_PYTHON": str(fake)}, check=False)
    assert result.returncode == 2
    assert "Нужен python3 версии 3.11 или новее, а установлен Python 3.9.2." in result.stderr


def test_docker_mode_writes_env_override_and_proxy(tmp_path):
    import shutil

    source = tmp_path / "megashop"
    shutil.copytree(ROOT / "installer", source / "installer", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "deploy", source / "deploy", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("install.sh", "pyproject.toml", "requirements.txt", "docker-compose.yml"):
        shutil.copy2(ROOT / name, source / name)
    command = [str(source / "install.sh"), "--root", str(tmp_path / "r"), "--non-interactive", "--mode", "docker"]
    output = run_install_at([*command, "--domain", "shop.example.ru", "--tls", "internal"]).stdout
    assert "установка docker" in output, output
    env_path = tmp_path / "r" / str(source).lstrip("/") / ".env"
    assert stat.S_IMODE(env_path.stat().st_mode) == 0o600
    env = envfile_parse(env_path.read_text())
    assert env["DATABASE_URL"].endswith("@postgres:5432/megashop")
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    base = tmp_path / "r" / str(source).lstrip("/")
    override = (base / "docker-compose.override.yml").read_text()
    assert_snapshot("docker-compose.override.yml", override)
    assert_snapshot("docker-megashop.conf", (base / ".megashop/nginx/megashop.conf").read_text())


def run_install_at(command):
    import subprocess

    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


PRIVATE = (
    *("--non-interactive", "--supervisor", "none", "--tls", "none", "--no-packages", "--domain", "shop.example.ru"),
    *("--db-host", "127.0.0.1", "--db-port", "55432", "--db-superuser", "postgres"),
    *("--redis-url", "redis://127.0.0.1:56379/0", "--web-bind", "127.0.0.1:8221"),
)


def test_prefix_puts_every_path_under_it_without_system_commands(tmp_path):
    prefix = tmp_path / "shop"
    result = run_install("--dry-run", "--prefix", str(prefix), *PRIVATE)
    output = result.stdout
    assert not prefix.exists()
    assert f"--- файл {prefix}/etc/megashop/megashop.env (права 0600" in output
    assert f"$ {prefix}/opt/megashop/venv/bin/python {prefix}/opt/megashop/current/manage.py bootstrap" in output
    assert "psql -X -q -v ON_ERROR_STOP=1 -d postgres -h 127.0.0.1 -p 55432 -U postgres" in output
    assert "# Запустить процессы магазина (web, worker, beat)" in output
    assert "# Дождаться ответа магазина на http://127.0.0.1:8221/api/health/" in output
    for absent in ("runuser", "useradd", "apt-get", "$ systemctl", "nginx", " /etc/", " /opt/", " /var/"):
        assert absent not in output, absent


def test_prefix_env_file_points_at_the_given_services(tmp_path):
    root, prefix = tmp_path / "root", tmp_path / "shop"
    run_install("--root", str(root), "--prefix", str(prefix), *PRIVATE)
    env = envfile_parse((root / str(prefix).lstrip("/") / "etc/megashop/megashop.env").read_text())
    assert env["DATABASE_URL"] == f"postgres://megashop:{env['POSTGRES_PASSWORD']}@127.0.0.1:55432/megashop"
    assert env["REDIS_URL"] == "redis://127.0.0.1:56379/0"
    assert env["MEDIA_ROOT"] == f"{prefix}/var/lib/megashop/media"
    assert env["STATIC_ROOT"] == f"{prefix}/var/lib/megashop/static"


def test_relative_prefix_is_refused(tmp_path):
    result = run_install("--prefix", "shop", "--root", str(tmp_path), *PRIVATE, check=False)
    assert result.returncode == 2
    assert "--prefix: нужен абсолютный путь" in result.stderr


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--db-port", "70000", "порт — число от 1 до 65535"),
        ("--db-host", "db host", "нужно имя хоста"),
        ("--db-superuser", "postgres;drop", "имя роли"),
        ("--redis-url", "http://127.0.0.1:6379", "нужен адрес redis://"),
        ("--web-bind", "8000", "нужен адрес хост:порт"),
    ],
)
def test_bad_connection_flags_exit_with_russian_message(install_root, flag, value, message):
    result = install_root(*BASE, flag, value, check=False)
    assert result.returncode == 1
    assert message in result.stderr
