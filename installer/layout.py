"""Где установка держит файлы на сервере (одно место для всех подкоманд)."""

import getpass
import re
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parents[1]
# Что не копируется в выпуск на сервере: данные разработки, кэши, секреты.
RELEASE_IGNORE = (
    ".git",
    ".venv",
    "__pycache__",
    "*.pyc",
    ".pytest_cache",
    ".ruff_cache",
    "media",
    "staticfiles",
    "site_docs",
    "db.sqlite3",
    ".env",
    ".megashop",
    "dist",
    "htmlcov",
    ".coverage",
)


@dataclass(frozen=True)
class Layout:
    """Пути установки; user — системный пользователь процессов магазина.

    system_user — процессы идут от отдельного системного пользователя user (создаётся
    установщиком, команды — через runuser); в установке под --prefix они идут от того, кто
    запустил установщик.
    """

    etc: str = "/etc/megashop"
    home: str = "/opt/megashop"
    data: str = "/var/lib/megashop"
    backups: str = "/var/backups/megashop"
    units: str = "/etc/systemd/system"
    nginx_site: str = "/etc/nginx/sites-available/megashop.conf"
    nginx_enabled: str = "/etc/nginx/sites-enabled/megashop.conf"
    nginx_default: str = "/etc/nginx/sites-enabled/default"
    user: str = "megashop"
    database: str = "megashop"
    web_bind: str = "127.0.0.1:8000"
    system_user: bool = True

    @property
    def health_url(self):
        """Адрес проверки здоровья магазина на самом сервере (в обход прокси)."""
        host, _, port = self.web_bind.rpartition(":")
        host = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104 — слушает все адреса
        return f"http://{host}:{port}/api/health/"

    @property
    def env_file(self):
        return f"{self.etc}/megashop.env"

    @property
    def saved_file(self):
        return f"{self.etc}/install.json"

    @property
    def tls_dir(self):
        return f"{self.etc}/tls"

    @property
    def releases(self):
        return f"{self.home}/releases"

    @property
    def current(self):
        return f"{self.home}/current"

    @property
    def venv(self):
        return f"{self.home}/venv"

    @property
    def media(self):
        return f"{self.data}/media"

    @property
    def static(self):
        return f"{self.data}/static"

    @property
    def acme(self):
        return f"{self.data}/acme"

    @property
    def run(self):
        """Файлы pid процессов, которые запускает сам установщик (--supervisor none)."""
        return f"{self.data}/run"

    @property
    def logs(self):
        """Журналы процессов без systemd (--supervisor none)."""
        return f"{self.data}/log"


# Поля Layout, которые — пути в файловой системе (переносятся под --prefix).
_PATH_FIELDS = ("etc", "home", "data", "backups", "units", "nginx_site", "nginx_enabled", "nginx_default")


def layout_build(prefix=""):
    """Вернуть пути установки: системные или, с prefix, все под одним каталогом.

    Под prefix каждый путь сохраняет свой вид (PREFIX/etc/megashop, PREFIX/opt/megashop…),
    системный пользователь не создаётся: процессы идут от того, кто запустил установщик.
    """
    layout = Layout()
    if not prefix:
        return layout
    base = str(Path(prefix).resolve()).rstrip("/")
    moved = {name: base + getattr(layout, name) for name in _PATH_FIELDS}
    return replace(layout, **moved, user=getpass.getuser(), system_user=False)


def release_version(source=SOURCE_DIR, ref="HEAD"):
    """Вернуть версию выпуска: файл VERSION архива или версия pyproject + коммит git ref."""
    source = Path(source)
    stamp = source / "VERSION"
    if stamp.is_file():
        return stamp.read_text(encoding="utf-8").strip()
    match = re.search(r'^version = "([^"]+)"', (source / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    version = match.group(1) if match else "0"
    try:
        commit = subprocess.run(
            ["git", "-C", str(source), "rev-parse", "--short=10", ref],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return version
    return f"{version}-{commit}"
