"""Предварительные проверки сервера с понятными русскими сообщениями."""

import os
import re
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from installer.plan import InstallerError

SUPPORTED_OS = {("debian", "12"), ("debian", "13"), ("ubuntu", "22.04"), ("ubuntu", "24.04")}
MIN_RAM_MB = 1800
MIN_DISK_GB = 5
MIN_POSTGRES = 15


@dataclass(frozen=True)
class Check:
    """Результат проверки: ok, текст, fatal — останавливает ли провал установку."""

    ok: bool
    text: str
    fatal: bool = True


def os_release(path="/etc/os-release"):
    """Вернуть (ID, VERSION_ID) из os-release."""
    values = {}
    try:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            values[key] = value.strip().strip('"')
    except OSError:
        return "", ""
    return values.get("ID", ""), values.get("VERSION_ID", "")


def check_os(path="/etc/os-release"):
    """Проверить, что система из поддерживаемых."""
    name, version = os_release(path)
    supported = ", ".join(f"{n.capitalize()} {v}" for n, v in sorted(SUPPORTED_OS))
    if (name, version) in SUPPORTED_OS:
        return Check(True, f"Система: {name.capitalize()} {version}")
    return Check(False, f"Система {name or '?'} {version or '?'} не поддерживается; нужна одна из: {supported}.")


def check_memory(path="/proc/meminfo"):
    """Проверить объём памяти (нужно ≥ 2 ГБ; меньше — предупреждение)."""
    try:
        text = Path(path).read_text(encoding="ascii")
        total_kb = int(re.search(r"^MemTotal:\s+(\d+)", text, re.M).group(1))
    except (OSError, AttributeError, ValueError):
        return Check(False, "Не удалось узнать объём памяти (/proc/meminfo).", fatal=False)
    megabytes = total_kb // 1024
    if megabytes >= MIN_RAM_MB:
        return Check(True, f"Память: {megabytes} МБ")
    return Check(
        False, f"Памяти {megabytes} МБ, рекомендуется не меньше 2 ГБ: возможны сбои под нагрузкой.", fatal=False
    )


def check_disk(path="/"):
    """Проверить свободное место на диске."""
    while not os.path.exists(path):
        path = os.path.dirname(path)
    free_gb = shutil.disk_usage(path).free / 1024**3
    if free_gb >= MIN_DISK_GB:
        return Check(True, f"Свободно на диске ({path}): {free_gb:.1f} ГБ")
    return Check(False, f"На диске ({path}) свободно {free_gb:.1f} ГБ, нужно хотя бы {MIN_DISK_GB} ГБ.")


def port_free(port, host="0.0.0.0"):  # noqa: S104 — проверяем именно все адреса
    """Сказать, свободен ли TCP-порт для прослушивания."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def check_ports(ports=(80, 443), *, ours=False):
    """Проверить, что порты свободны (повторная установка: их держит наш nginx — это норма)."""
    busy = [port for port in ports if not port_free(port)]
    if not busy:
        return Check(True, "Порты 80 и 443 свободны")
    if ours:
        return Check(True, f"Порты {', '.join(map(str, busy))} заняты nginx этой установки")
    return Check(
        False,
        f"Порты {', '.join(map(str, busy))} заняты другой программой: освободите их "
        "(ss -ltnp покажет, кем) или используйте --tls none за своим прокси.",
    )


def local_addresses():
    """Вернуть адреса этого сервера (по данным hostname -I и сокета наружу)."""
    addresses = set()
    try:
        output = subprocess.run(["hostname", "-I"], capture_output=True, text=True, check=False).stdout
        addresses.update(output.split())
    except OSError:
        pass
    return addresses


def check_dns(domain, *, resolve=socket.getaddrinfo, addresses=None):
    """Проверить, что домен указывает на этот сервер (нужно для Let's Encrypt)."""
    try:
        resolved = {info[4][0] for info in resolve(domain, 443, proto=socket.IPPROTO_TCP)}
    except OSError:
        return Check(False, f"Домен {domain} не находится в DNS: добавьте запись A на адрес этого сервера.")
    mine = local_addresses() if addresses is None else addresses
    if resolved & mine:
        return Check(True, f"DNS: {domain} → {', '.join(sorted(resolved))}")
    return Check(
        False,
        f"DNS: {domain} указывает на {', '.join(sorted(resolved))}, а у сервера адреса "
        f"{', '.join(sorted(mine)) or 'неизвестны'}. Исправьте запись A или пропустите проверку: --skip-dns.",
    )


def check_root():
    """Проверить, что установщик запущен от root."""
    if os.geteuid() == 0:
        return Check(True, "Запуск от root")
    return Check(False, "Запустите установщик от root: sudo ./install.sh")


def preflight(*, options, skip_dns, ours, layout):
    """Выполнить проверки перед установкой native; вернуть список Check.

    Под --prefix root не нужен; без systemd нет и nginx — порты 80 и 443 не проверяются.
    """
    checks = [check_root()] if layout.system_user else []
    checks += [check_os(), check_memory(), check_disk(str(Path(layout.home).parent))]
    if options.supervisor == "systemd":
        checks.append(check_ports(ours=ours))
    if options.tls == "acme" and not skip_dns:
        checks.append(check_dns(options.domain))
    return checks


def postgres_major(output):
    """Вернуть главный номер версии из вывода «psql --version» (0 — не разобрать)."""
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", output)
    return int(match.group(1)) if match else 0


def postgres_version_check():
    """Проверить, что установленный PostgreSQL не старше 15.

    Raises:
        InstallerError: PostgreSQL старше 15 или не установлен.
    """
    try:
        output = subprocess.run(["psql", "--version"], capture_output=True, text=True, check=False).stdout
    except OSError as error:
        raise InstallerError("PostgreSQL не установлен: psql не найден.") from error
    major = postgres_major(output)
    if major < MIN_POSTGRES:
        raise InstallerError(
            f"Нужен PostgreSQL {MIN_POSTGRES} или новее, установлен {major or '?'} "
            "(Ubuntu 22.04: подключите репозиторий apt.postgresql.org и поставьте postgresql-16)."
        )
