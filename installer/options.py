"""Параметры установки: флаг → переменная MEGASHOP_* → сохранённый выбор → вопрос → умолчание.

Каждый параметр описан один раз (FIELDS): из описания строятся флаг командной строки,
имя переменной окружения и вопрос. Выбор прошлой установки хранится в
/etc/megashop/install.json (без секретов) — повторный запуск и обновление задают те же вопросы
с прежними ответами по умолчанию, а с --non-interactive ничего не меняют.
"""

import getpass
import json
import re
import shutil
import socket
import subprocess
from dataclasses import dataclass, fields
from pathlib import Path

from installer.plan import InstallerError

TLS_CHOICES = ("acme", "internal", "none")
MODE_CHOICES = ("native", "docker")
SUPERVISOR_CHOICES = ("systemd", "none")
SMS_CHOICES = ("console", "prostor")
QUEUES = ("default", "imports", "integrations", "notifications")


@dataclass(frozen=True)
class Field:
    """Описание параметра: имя, вопрос, варианты, секрет ли (ввод без эха, не в install.json)."""

    name: str
    question: str
    choices: tuple = ()
    secret: bool = False
    kind: str = "str"  # str | bool | int


FIELDS = (
    Field("mode", "Способ установки: native (systemd) или docker", MODE_CHOICES),
    Field("domain", "Домен магазина"),
    Field("admin_email", "E-mail администратора"),
    Field("admin_phone", "Телефон администратора (+7…, можно пусто)"),
    Field("tls", "HTTPS: acme (Let's Encrypt), internal (свой сертификат) или none", TLS_CHOICES),
    Field("acme_email", "E-mail для Let's Encrypt"),
    Field("smtp_host", "SMTP-сервер для писем (пусто — письма только в журнал)"),
    Field("smtp_port", "Порт SMTP", kind="int"),
    Field("smtp_user", "Логин SMTP"),
    Field("smtp_password", "Пароль SMTP", secret=True),
    Field("smtp_from", "Адрес отправителя писем"),
    Field("sms", "SMS-шлюз: console (только журнал) или prostor", SMS_CHOICES),
    Field("sms_login", "Логин Prostor SMS"),
    Field("sms_password", "Пароль Prostor SMS", secret=True),
    Field("demo", "Загрузить демонстрационные данные", kind="bool"),
    Field("supervisor", "Кто запускает процессы: systemd или none", SUPERVISOR_CHOICES),
    Field("keep_backups", "Сколько ночных резервных копий хранить", kind="int"),
    Field("packages", "Ставить пакеты apt (--no-packages — всё уже установлено)", kind="bool"),
    Field("db_host", "Сервер PostgreSQL магазина"),
    Field("db_port", "Порт PostgreSQL", kind="int"),
    Field("db_superuser", "Роль PostgreSQL, создающая базу (пусто — runuser -u postgres psql)"),
    Field("redis_url", "Адрес Redis (кэш и брокер Celery)"),
    Field("web_bind", "Адрес gunicorn (хост:порт)"),
)
# Вопросы, которые имеют смысл только при определённом ответе на другой вопрос.
_ONLY_IF = {
    "acme_email": ("tls", "acme"),
    "smtp_port": ("smtp_host", True),
    "smtp_user": ("smtp_host", True),
    "smtp_password": ("smtp_host", True),
    "sms_login": ("sms", "prostor"),
    "sms_password": ("sms", "prostor"),
}
# Эти параметры не спрашиваются, только флаг или переменная.
_NOT_ASKED = {"supervisor", "keep_backups", "packages", "db_host", "db_port", "db_superuser", "redis_url", "web_bind"}


@dataclass(frozen=True)
class Options:
    """Ответы на все вопросы установки."""

    mode: str = "native"
    domain: str = "localhost"
    admin_email: str = ""
    admin_phone: str = ""
    tls: str = "acme"
    acme_email: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = ""
    sms: str = "console"
    sms_login: str = ""
    sms_password: str = ""
    demo: bool = False
    supervisor: str = "systemd"
    keep_backups: int = 7
    packages: bool = True
    # localhost, а не 127.0.0.1: libpq пробует и ::1, и 127.0.0.1 (PostgreSQL Debian слушает «localhost»).
    db_host: str = "localhost"
    db_port: int = 5432
    db_superuser: str = ""
    redis_url: str = "redis://127.0.0.1:6379/0"
    web_bind: str = "127.0.0.1:8000"

    def saved(self):
        """Вернуть словарь для install.json — без секретов."""
        secret = {item.name for item in FIELDS if item.secret}
        return {item.name: getattr(self, item.name) for item in fields(self) if item.name not in secret}


def flag_name(name):
    """Вернуть имя флага параметра: admin_email → --admin-email."""
    return "--" + name.replace("_", "-")


def env_name(name):
    """Вернуть имя переменной окружения параметра: admin_email → MEGASHOP_ADMIN_EMAIL."""
    return "MEGASHOP_" + name.upper()


def docker_available():
    """Сказать, есть ли работающий Docker с плагином compose."""
    if not shutil.which("docker"):
        return False
    try:
        probe = subprocess.run(
            ["docker", "compose", "version"],
            capture_output=True,
            check=False,
            timeout=10,
        )
        info = subprocess.run(["docker", "info"], capture_output=True, check=False, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0 and info.returncode == 0


def _defaults(values, *, detect_docker):
    """Вернуть умолчания, зависящие от уже известных ответов (домен → адреса)."""
    domain = values.get("domain") or socket.getfqdn() or "localhost"
    admin_email = values.get("admin_email") or f"admin@{domain}"
    return {
        "mode": "docker" if detect_docker and docker_available() else "native",
        "domain": domain,
        "admin_email": admin_email,
        "acme_email": admin_email,
        "smtp_from": f"Megashop <noreply@{domain}>",
    }


def _convert(item, raw):
    if isinstance(raw, bool | int) and not isinstance(raw, str):
        return raw
    text = str(raw).strip()
    if item.kind == "bool":
        lowered = text.lower()
        if lowered in ("1", "yes", "y", "true", "да", "д", "on"):
            return True
        if lowered in ("0", "no", "n", "false", "нет", "н", "off", ""):
            return False
        raise InstallerError(f"{flag_name(item.name)}: ожидается да или нет, получено «{text}».")
    if item.kind == "int":
        if not text.isdigit():
            raise InstallerError(f"{flag_name(item.name)}: ожидается целое число, получено «{text}».")
        return int(text)
    if item.choices and text not in item.choices:
        raise InstallerError(f"{flag_name(item.name)}: допустимо {', '.join(item.choices)}, получено «{text}».")
    return text


def _ask(item, default, *, read):
    shown = ("да" if default else "нет") if item.kind == "bool" else ("***" if item.secret and default else default)
    while True:
        answer = read(f"{item.question} [{shown}]: ", item.secret).strip()
        if not answer:
            return default
        try:
            return _convert(item, answer)
        except InstallerError as error:
            print(error)


def _read(prompt, secret):
    return getpass.getpass(prompt) if secret else input(prompt)


_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9]{10,15}$")
_HOST = re.compile(r"^[A-Za-z0-9_.:/-]+$")
_ROLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BIND = re.compile(r"^[A-Za-z0-9_.-]+:[0-9]{1,5}$")
_REDIS = re.compile(r"^(rediss?|unix)://\S+$")


def options_validate(options):
    """Проверить ответы вместе; вернуть options или поднять InstallerError с русским текстом."""
    if not _DOMAIN.match(options.domain):
        raise InstallerError(f"Домен «{options.domain}» не похож на имя хоста (пример: shop.example.ru).")
    if not _EMAIL.match(options.admin_email):
        raise InstallerError(f"E-mail администратора «{options.admin_email}» неверен.")
    if options.admin_phone and not _PHONE.match(options.admin_phone):
        raise InstallerError(f"Телефон «{options.admin_phone}» неверен: нужен формат +79991234567.")
    if options.tls == "acme":
        if not _EMAIL.match(options.acme_email):
            raise InstallerError("Для Let's Encrypt (--tls acme) нужен e-mail: --acme-email.")
        if "." not in options.domain:
            raise InstallerError("Let's Encrypt выдаёт сертификат только публичному домену; выберите --tls internal.")
    if options.mode == "docker" and options.tls == "acme":
        raise InstallerError("В режиме docker доступны --tls internal или none (Let's Encrypt — в режиме native).")
    if options.sms == "prostor" and not (options.sms_login and options.sms_password):
        raise InstallerError("Для Prostor SMS нужны --sms-login и --sms-password.")
    if options.keep_backups < 1:
        raise InstallerError("--keep-backups: хранить нужно хотя бы одну копию.")
    _connections_validate(options)
    return options


def _connections_validate(options):
    """Проверить адреса PostgreSQL, Redis и gunicorn."""
    if not _HOST.match(options.db_host):
        raise InstallerError(f"--db-host «{options.db_host}»: нужно имя хоста, адрес или каталог сокета.")
    if not 0 < options.db_port < 65536:
        raise InstallerError(f"--db-port {options.db_port}: порт — число от 1 до 65535.")
    if options.db_superuser and not _ROLE.match(options.db_superuser):
        raise InstallerError(f"--db-superuser «{options.db_superuser}»: имя роли — латиница, цифры и _.")
    if not _REDIS.match(options.redis_url):
        raise InstallerError(f"--redis-url «{options.redis_url}»: нужен адрес redis://хост:порт/номер.")
    if not _BIND.match(options.web_bind) or not 0 < int(options.web_bind.rsplit(":", 1)[1]) < 65536:
        raise InstallerError(f"--web-bind «{options.web_bind}»: нужен адрес хост:порт, например 127.0.0.1:8000.")


def options_resolve(*, flags, environ, saved, interactive, read=_read, detect_docker=True):
    """Собрать Options по порядку: флаг, MEGASHOP_*, install.json, вопрос, умолчание.

    Args:
        flags: {имя: значение} из командной строки (None — не задан).
        environ: окружение процесса.
        saved: ответы прошлой установки (install.json) или {}.
        interactive: задавать ли вопросы по незаданным параметрам.
        read: функция чтения ответа (prompt, secret) — в тестах подменяется.
        detect_docker: определять ли режим по наличию Docker.
    """
    values = {}
    base = Options()
    for item in FIELDS:
        given = flags.get(item.name)
        if given is None and environ.get(env_name(item.name)) is not None:
            given = environ[env_name(item.name)]
        if given is not None:
            values[item.name] = _convert(item, given)
            continue
        default = saved.get(item.name, _defaults(values, detect_docker=detect_docker).get(item.name))
        if default is None:
            default = getattr(base, item.name)
        guard = _ONLY_IF.get(item.name)
        relevant = guard is None or (values.get(guard[0]) == guard[1] if guard[1] is not True else values.get(guard[0]))
        if interactive and relevant and item.name not in _NOT_ASKED:
            values[item.name] = _ask(item, default, read=read)
        else:
            values[item.name] = default
    return options_validate(Options(**values))


def saved_load(path):
    """Прочитать install.json прошлой установки (нет файла — пустой словарь)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise InstallerError(f"Не читается {path}: {error}") from error


def saved_dump(options):
    """Вернуть текст install.json для options."""
    return json.dumps(options.saved(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
