"""Где установка держит файлы на сервере (одно место для всех подкоманд)."""

import re
import subprocess
from dataclasses import dataclass
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
    """Пути установки; user — системный пользователь процессов магазина."""

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

    @property
    def health_url(self):
        """Адрес проверки здоровья магазина на самом сервере (в обход прокси)."""
        return f"http://{self.web_bind}/api/health/"

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


def release_version(source=SOURCE_DIR):
    """Вернуть версию выпуска: файл VERSION архива или версия pyproject + коммит git."""
    source = Path(source)
    stamp = source / "VERSION"
    if stamp.is_file():
        return stamp.read_text(encoding="utf-8").strip()
    match = re.search(r'^version = "([^"]+)"', (source / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    version = match.group(1) if match else "0"
    try:
        commit = subprocess.run(
            ["git", "-C", str(source), "rev-parse", "--short=10", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return version
    return f"{version}-{commit}"
