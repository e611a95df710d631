"""План установки на сервер без Docker: apt, PostgreSQL, venv, systemd (или свои процессы), nginx."""

import hashlib
import sys
from dataclasses import replace
from pathlib import Path

from installer.appenv import app_env
from installer.envfile import REDACTED, envfile_merge, envfile_parse, secrets_ensure
from installer.health import health_wait
from installer.layout import RELEASE_IGNORE
from installer.options import QUEUES, saved_dump
from installer.plan import Call, CopyTree, MakeDir, Plan, Run, Symlink, WriteFile
from installer.preflight import postgres_version_check
from installer.processes import WORKER_CONCURRENCY, processes_restart, processes_start
from installer.proxy import nginx_config, self_signed_command
from installer.render import template_render

APT_PACKAGES = ("postgresql", "redis-server", "nginx", "python3-venv", "openssl", "ca-certificates")
ACME_PACKAGES = ("certbot",)
UNIT_NAMES = (
    "megashop-web.service",
    "megashop-worker@.service",
    "megashop-beat.service",
    "megashop-backup.service",
    "megashop-backup.timer",
    "megashop.target",
)


def worker_units():
    """Вернуть имена экземпляров воркера — по одному на очередь."""
    return [f"megashop-worker@{queue}.service" for queue in QUEUES]


def app_units():
    """Вернуть все долгоживущие юниты магазина (web, воркеры, beat)."""
    return ["megashop-web.service", *worker_units(), "megashop-beat.service"]


def systemd_units(*, layout, keep_backups):
    """Вернуть {имя юнита: текст} для systemd из шаблонов deploy/systemd/."""
    values = {
        "app_dir": layout.current,
        "venv": layout.venv,
        "env_file": layout.env_file,
        "user": layout.user,
        "data_dir": layout.data,
        "web_bind": layout.web_bind,
        "worker_concurrency": WORKER_CONCURRENCY,
        "keep": keep_backups,
        "units": " ".join(app_units()),
    }
    values["hardening"] = template_render("systemd/hardening.conf", **values).rstrip("\n")
    return {name: template_render(f"systemd/{name}", **values) for name in UNIT_NAMES}


def _as_app(layout, *argv):
    if not layout.system_user:
        return argv
    return ("runuser", "-u", layout.user, "--", *argv)


def _user_step(layout):
    return Run(
        ("useradd", "--system", "--user-group", "--home-dir", layout.home, "--shell", "/usr/sbin/nologin", layout.user),
        f"Создать системного пользователя {layout.user}",
        unless=("id", "-u", layout.user),
    )


def requirements_hash(source):
    """Вернуть sha256 requirements.txt выпуска (метка «зависимости этого выпуска установлены»)."""
    return hashlib.sha256((Path(source) / "requirements.txt").read_bytes()).hexdigest()


_DATABASE_SQL = """\
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role')\\gexec
ALTER ROLE :"role" WITH LOGIN PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database')\\gexec
"""


def _psql_literal(value):
    """Вернуть значение для «\\set» psql: в одинарных кавычках, кавычка удвоена."""
    return "'" + value.replace("'", "''") + "'"


def database_script(layout, password):
    """Вернуть сценарий psql, создающий роль и базу (идемпотентно) и задающий пароль роли.

    Значения передаются переменными psql (:'имя' — экранированная строка, :"имя" — имя), а не
    вклеиваются в SQL; сценарий идёт через stdin, поэтому пароля нет в списке процессов.
    """
    # Роль называется как база (megashop): под --prefix процессы идут от другого пользователя ОС.
    variables = {"role": layout.database, "database": layout.database, "password": password}
    header = "".join(f"\\set {name} {_psql_literal(value)}\n" for name, value in variables.items())
    return header + _DATABASE_SQL


def database_login_check(layout, options):
    """Вернуть команду, успешную, когда роль магазина входит в свою базу по паролю (PGPASSWORD)."""
    server = ("-h", options.db_host, "-p", str(options.db_port))
    return ("psql", "-X", "-q", "-w", *server, "-U", layout.database, "-d", layout.database, "-c", "SELECT 1")


def database_admin_command(options):
    """Вернуть argv psql суперпользователя PostgreSQL (база postgres), сценарий — через stdin.

    Без --db-superuser — как на Debian: от системного пользователя postgres через локальный
    сокет (вход peer). С --db-superuser — по сети к --db-host:--db-port под этой ролью; пароль
    роли libpq берёт из PGPASSWORD или ~/.pgpass того, кто запустил установщик.
    """
    psql = ("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres")
    if options.db_superuser:
        return (*psql, "-h", options.db_host, "-p", str(options.db_port), "-U", options.db_superuser)
    port = () if options.db_port == 5432 else ("-p", str(options.db_port))
    return ("runuser", "-u", "postgres", "--", *psql, *port)


def native_plan(*, options, layout, source, version, existing_env, wheelhouse=""):
    """Построить план установки native.

    Args:
        options: ответы установки (options.Options).
        layout: пути (layout.Layout).
        source: каталог исходников выпуска, из которого запущен установщик.
        version: версия выпуска (имя каталога в releases/).
        existing_env: текст имеющегося файла окружения ("" при первой установке).
        wheelhouse: каталог колёс для pip --no-index (закрытая сеть), "" — PyPI.

    Returns:
        (план, {переменная: значение} файла окружения, имена только что созданных секретов).
    """
    systemd = options.supervisor == "systemd"
    layout = replace(layout, web_bind=options.web_bind)
    secrets, created = secrets_ensure(envfile_parse(existing_env))
    values = app_env(options=options, layout=layout, secrets=secrets, mode="native")
    env_text = envfile_merge(existing_env, values)
    env = tuple(envfile_parse(env_text).items())
    release = f"{layout.releases}/{version}"
    plan = Plan()

    if options.packages:
        packages = APT_PACKAGES + (ACME_PACKAGES if options.tls == "acme" else ())
        install = f"apt-get update -q && apt-get install -y -q --no-install-recommends {' '.join(packages)}"
        plan.add(
            Run(
                ("sh", "-c", install),
                "Установить пакеты: " + ", ".join(packages),
                unless=("dpkg", "-s", *packages),
                env=(("DEBIAN_FRONTEND", "noninteractive"),),
            )
        )
    plan.add(Call(postgres_version_check, "Проверить версию PostgreSQL (нужна 15 или новее)"))
    if systemd:
        services = ("postgresql", "redis-server")
        names = " ".join(services)
        plan.add(
            Run(
                ("systemctl", "enable", "--now", *services),
                "Запустить PostgreSQL и Redis",
                unless=(
                    "sh",
                    "-c",
                    f"systemctl is-enabled --quiet {names} && systemctl is-active --quiet {names}",
                ),
            )
        )
    if layout.system_user:
        plan.add(_user_step(layout))
    plan.extend(
        [
            MakeDir(layout.etc, 0o750),
            MakeDir(layout.tls_dir, 0o700),
            MakeDir(layout.home, 0o755),
            MakeDir(layout.releases, 0o755),
            MakeDir(layout.data, 0o755, layout.user, layout.user),
            MakeDir(layout.media, 0o755, layout.user, layout.user),
            MakeDir(layout.static, 0o755, layout.user, layout.user),
            MakeDir(layout.acme, 0o755),
            MakeDir(layout.backups, 0o700),
            WriteFile(layout.env_file, env_text, 0o600, redact=REDACTED),
            WriteFile(layout.saved_file, saved_dump(options), 0o644),
            CopyTree(str(source), release, RELEASE_IGNORE),
            Symlink(layout.current, release),
        ]
    )
    plan.add(
        Run(
            database_admin_command(options),
            f"Создать роль и базу PostgreSQL «{layout.database}»",
            stdin=database_script(layout, secrets["POSTGRES_PASSWORD"]),
            # Пропуск, только если роль уже входит в свою базу с паролем из файла окружения:
            # пароль, созданный заново взамен потерянного, всё равно попадёт в роль.
            unless=database_login_check(layout, options),
            unless_env=(("PGPASSWORD", secrets["POSTGRES_PASSWORD"]),),
            env=(("PGCONNECT_TIMEOUT", "5"),),
        )
    )
    digest = requirements_hash(source)
    stamp = f"{layout.venv}/.megashop-requirements"
    pip = [f"{layout.venv}/bin/pip", "install", "--disable-pip-version-check", "-q"]
    if wheelhouse:
        pip += ["--no-index", "--find-links", wheelhouse]
    plan.add(
        Run(
            (sys.executable, "-m", "venv", layout.venv),
            "Создать виртуальное окружение",
            unless=("test", "-x", f"{layout.venv}/bin/python"),
        )
    )
    plan.add(
        Run(
            (*pip, "-r", f"{layout.current}/requirements.txt"),
            "Установить зависимости Python" + (f" из {wheelhouse}" if wheelhouse else ""),
            unless=("grep", "-qx", digest, stamp),
        )
    )
    plan.add(WriteFile(stamp, digest + "\n", 0o644))
    manage = (f"{layout.venv}/bin/python", f"{layout.current}/manage.py")
    plan.add(
        Run(
            _as_app(layout, *manage, "collectstatic", "--no-input", "-v", "0"),
            "Собрать статику",
            env=env,
            counts=False,
            cwd=layout.current,
        )
    )
    bootstrap = (*manage, "bootstrap", *(("--demo",) if options.demo else ()))
    plan.add(
        Run(
            _as_app(layout, *bootstrap),
            "Миграции, роли, сайт и администратор (bootstrap)",
            env=env,
            counts=False,
            cwd=layout.current,
        )
    )

    if systemd:
        for name, text in systemd_units(layout=layout, keep_backups=options.keep_backups).items():
            plan.add(WriteFile(f"{layout.units}/{name}", text, 0o644))
        plan.add(Run(("systemctl", "daemon-reload"), "Перечитать юниты systemd", counts=False))
        plan.add(
            Run(
                ("systemctl", "enable", "megashop.target", "megashop-backup.timer", *app_units()),
                "Включить автозапуск магазина и ночного бэкапа",
                unless=("systemctl", "is-enabled", "--quiet", "megashop.target", "megashop-backup.timer", *app_units()),
            )
        )
        plan.add(Run(("systemctl", "start", "megashop-backup.timer"), "Запустить таймер бэкапа", counts=False))
        plan.add(
            Run(
                ("systemctl", "restart", "megashop.target", *app_units()), "Перезапустить магазин", only_if_changed=True
            )
        )
        plan.add(Run(("systemctl", "start", "megashop.target"), "Запустить магазин", counts=False))
        plan.extend(_nginx_steps(options=options, layout=layout))
    else:
        running = (("layout", layout), ("env", env))
        plan.add(Call(processes_restart, "Перезапустить процессы магазина", running, only_if_changed=True))
        plan.add(Call(processes_start, "Запустить процессы магазина (web, worker, beat)", running))
    plan.add(Call(health_wait, f"Дождаться ответа магазина на {layout.health_url}", (("url", layout.health_url),)))
    return plan, dict(env), created


def _nginx_steps(*, options, layout):
    cert, key = f"{layout.tls_dir}/cert.pem", f"{layout.tls_dir}/key.pem"
    letsencrypt = f"/etc/letsencrypt/live/{options.domain}"
    render = {
        "options": options,
        "web_address": layout.web_bind,
        "media_dir": layout.media,
        "static_dir": layout.static,
        "acme_dir": layout.acme,
    }
    steps = []
    if options.tls != "none":
        # Свой сертификат нужен и для acme: nginx должен стартовать до выдачи настоящего.
        steps.append(
            Run(
                self_signed_command(domain=options.domain, cert=cert, key=key),
                f"Создать собственный сертификат для {options.domain}",
                unless=("test", "-s", cert),
            )
        )
    steps += [
        WriteFile(layout.nginx_site, nginx_config(cert=cert, key=key, **render), 0o644),
        Symlink(layout.nginx_enabled, layout.nginx_site),
        Run(
            ("rm", "-f", layout.nginx_default),
            "Отключить сайт nginx по умолчанию",
            unless=("test", "!", "-e", layout.nginx_default),
        ),
        Run(("nginx", "-t", "-q"), "Проверить конфигурацию nginx", counts=False),
        Run(
            ("systemctl", "enable", "--now", "nginx"),
            "Включить nginx",
            unless=("systemctl", "is-active", "--quiet", "nginx"),
        ),
        Run(("systemctl", "reload", "nginx"), "Перечитать конфигурацию nginx", only_if_changed=True),
    ]
    if options.tls == "acme":
        steps += [
            Run(
                (
                    "certbot",
                    "certonly",
                    "--webroot",
                    "-w",
                    layout.acme,
                    "-d",
                    options.domain,
                    "-m",
                    options.acme_email,
                    "--agree-tos",
                    "-n",
                    "--deploy-hook",
                    "systemctl reload nginx",
                ),
                f"Получить сертификат Let's Encrypt для {options.domain}",
                unless=("test", "-s", f"{letsencrypt}/fullchain.pem"),
            ),
            WriteFile(
                layout.nginx_site,
                nginx_config(cert=f"{letsencrypt}/fullchain.pem", key=f"{letsencrypt}/privkey.pem", **render),
                0o644,
            ),
            Run(("nginx", "-t", "-q"), "Проверить конфигурацию nginx", counts=False),
            Run(("systemctl", "reload", "nginx"), "Перечитать конфигурацию nginx", only_if_changed=True),
        ]
    return steps
