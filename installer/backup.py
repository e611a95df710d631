"""Резервные копии: pg_dump -Fc и медиафайлы в одном архиве, ротация, восстановление.

Архив ``megashop-ГГГГММДДTЧЧММССZ.tar`` (права 0600) содержит ``manifest.json``,
``database.dump`` (формат pg_dump custom) и каталог ``media/``. Пишется во временный файл и
переименовывается целиком: ротация и восстановление не видят недописанных копий.
"""

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from installer.plan import InstallerError

PREFIX = "megashop-"
SUFFIX = ".tar"


def libpq_env(database_url):
    """Вернуть переменные PG* для database_url: пароль не попадает в командную строку (ps)."""
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise InstallerError(f"Резервная копия делается только для PostgreSQL, а DATABASE_URL — «{parts.scheme}».")
    values = {
        "PGHOST": parts.hostname or "",
        "PGPORT": str(parts.port or 5432),
        "PGUSER": unquote(parts.username or ""),
        "PGPASSWORD": unquote(parts.password or ""),
        "PGDATABASE": unquote(parts.path.lstrip("/")),
    }
    return {key: value for key, value in values.items() if value}


def _pg(argv, database_url):
    environment = {**os.environ, **libpq_env(database_url)}
    try:
        result = subprocess.run(argv, env=environment, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise InstallerError(f"Нет программы {argv[0]}: установите пакет postgresql-client.") from error
    if result.returncode != 0:
        raise InstallerError(f"{argv[0]} завершился с ошибкой {result.returncode}: {result.stderr.strip()[-2000:]}")
    return result


def backups_list(directory):
    """Вернуть архивы копий в directory от старых к новым."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(PREFIX) and p.name.endswith(SUFFIX))


def backup_rotate(directory, *, keep):
    """Удалить старые копии, оставив keep последних; вернуть удалённые пути."""
    archives = backups_list(directory)
    removed = archives[: max(len(archives) - keep, 0)]
    for path in removed:
        path.unlink()
    return removed


def backup_create(*, database_url, media_dir, directory, keep, version="", now=None):
    """Сделать копию базы и медиафайлов в directory, затем оставить keep последних; вернуть путь.

    Raises:
        InstallerError: pg_dump не смог выгрузить базу (архив тогда не создаётся).
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{PREFIX}{stamp}{SUFFIX}"
    partial = folder / f".{target.name}.partial"
    with tempfile.TemporaryDirectory(dir=folder) as work:
        dump = Path(work) / "database.dump"
        _pg(["pg_dump", "--format=custom", "--file", str(dump)], database_url)
        manifest = {
            "created": stamp,
            "version": version,
            "database": libpq_env(database_url).get("PGDATABASE", ""),
            "media_files": 0,
        }
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle, tarfile.open(fileobj=handle, mode="w") as archive:
            archive.add(dump, arcname="database.dump")
            media = Path(media_dir)
            if media.is_dir():
                for path in sorted(media.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        archive.add(path, arcname=str(PurePosixPath("media") / path.relative_to(media)))
                        manifest["media_files"] += 1
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
            archive.addfile(info, fileobj=_bytes_io(data))
    os.replace(partial, target)
    backup_rotate(folder, keep=keep)
    return target


def _bytes_io(data):
    import io

    return io.BytesIO(data)


def _safe_members(archive):
    """Вернуть члены архива, отказав на путях вне архива и на ссылках/устройствах."""
    members = []
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts:
            raise InstallerError(f"Архив повреждён или подделан: путь {member.name}.")
        if not (member.isfile() or member.isdir()):
            raise InstallerError(f"Архив содержит недопустимый элемент {member.name} (ссылка или устройство).")
        members.append(member)
    return members


def backup_manifest(path):
    """Прочитать manifest.json архива копии."""
    try:
        with tarfile.open(path) as archive:
            return json.loads(archive.extractfile("manifest.json").read())
    except (OSError, KeyError, tarfile.TarError, ValueError) as error:
        raise InstallerError(f"{path} — не резервная копия Megashop: {error}") from error


def backup_restore(*, archive_path, database_url, media_dir):
    """Восстановить базу (pg_restore --clean) и медиафайлы из архива копии.

    Медиафайлы подменяются целиком: прежний каталог удаляется только после успешной распаковки.

    Raises:
        InstallerError: архив не копия Megashop, подделан или pg_restore не смог восстановить базу.
    """
    backup_manifest(archive_path)
    media = Path(media_dir)
    media.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(dir=media.parent, prefix=".restore-") as work,
        tarfile.open(archive_path) as archive,
    ):
        members = _safe_members(archive)
        archive.extractall(work, members=members)  # noqa: S202 — члены проверены _safe_members
        _pg(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                libpq_env(database_url).get("PGDATABASE", ""),
                str(Path(work) / "database.dump"),
            ],
            database_url,
        )
        restored = Path(work) / "media"
        restored.mkdir(exist_ok=True)
        if media.exists():
            shutil.copystat(media, restored)
            stat = media.stat()
            if os.geteuid() == 0:
                os.chown(restored, stat.st_uid, stat.st_gid)
        previous = media.with_name(f".{media.name}.before-restore")
        if previous.exists():
            shutil.rmtree(previous)
        if media.exists():
            media.rename(previous)
        restored.rename(media)
        if previous.exists():
            shutil.rmtree(previous)
