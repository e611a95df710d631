"""Резервные копии на настоящем PostgreSQL: pg_dump -Fc → восстановление в новую базу, медиа, ротация."""

import io
import os
import stat
import subprocess
import tarfile
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from installer.backup import backup_create, backup_manifest, backup_restore, backup_rotate, backups_list, libpq_env
from installer.plan import InstallerError

pg = pytest.mark.postgres_only(reason="pg_dump и pg_restore работают с сервером PostgreSQL")


def _server_url():
    """Вернуть адрес сервера PostgreSQL тестов без имени базы."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return f"{parts.scheme}://{parts.netloc}"


def _psql(database_url, sql):
    result = subprocess.run(
        ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
        env={**os.environ, **libpq_env(database_url)},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.fixture
def databases():
    """Создать пустые базы-источник и приёмник (свои на каждый процесс xdist) и удалить их после."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    names = [f"megashop_installer_bk_{role}_{worker}" for role in ("src", "dst")]
    admin = f"{_server_url()}/postgres"
    for name in names:
        _psql(admin, f"DROP DATABASE IF EXISTS {name}")
        _psql(admin, f"CREATE DATABASE {name}")
    yield [f"{_server_url()}/{name}" for name in names]
    for name in names:
        _psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _fill(url):
    _psql(url, "CREATE TABLE product (id serial PRIMARY KEY, title text NOT NULL, price numeric(12, 2))")
    _psql(url, "INSERT INTO product (title, price) VALUES ('Чайник', 1999.90), ('Кружка', 350.00)")


def _media(tmp_path):
    media = tmp_path / "media"
    (media / "images" / "2026").mkdir(parents=True)
    (media / "images" / "2026" / "kettle.jpg").write_bytes(b"\xff\xd8 kettle")
    (media / "documents").mkdir()
    (media / "documents" / "прайс.pdf").write_bytes(b"%PDF price")
    return media


@pg
def test_backup_restores_into_a_fresh_database_with_media(databases, tmp_path):
    source, fresh = databases
    _fill(source)
    media = _media(tmp_path)
    archive = backup_create(database_url=source, media_dir=media, directory=tmp_path / "backups", keep=3, version="1.2")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    manifest = backup_manifest(archive)
    assert manifest["version"] == "1.2"
    assert manifest["media_files"] == 2
    restored_media = tmp_path / "restored-media"
    backup_restore(archive_path=archive, database_url=fresh, media_dir=restored_media)
    assert _psql(fresh, "SELECT title || '=' || price FROM product ORDER BY id") == "Чайник=1999.90\nКружка=350.00"
    assert (restored_media / "images" / "2026" / "kettle.jpg").read_bytes() == b"\xff\xd8 kettle"
    assert (restored_media / "documents" / "прайс.pdf").read_bytes() == b"%PDF price"


@pg
def test_restore_over_changed_data_brings_the_backup_back(databases, tmp_path):
    source, _fresh = databases
    _fill(source)
    media = _media(tmp_path)
    archive = backup_create(database_url=source, media_dir=media, directory=tmp_path / "backups", keep=3)
    _psql(source, "UPDATE product SET price = 1 WHERE title = 'Чайник'")
    _psql(source, "CREATE TABLE added_later (id int)")
    (media / "images" / "2026" / "kettle.jpg").write_bytes(b"changed")
    (media / "new.png").write_bytes(b"new")
    backup_restore(archive_path=archive, database_url=source, media_dir=media)
    assert _psql(source, "SELECT price FROM product WHERE title = 'Чайник'") == "1999.90"
    assert (media / "images" / "2026" / "kettle.jpg").read_bytes() == b"\xff\xd8 kettle"
    assert not (media / "new.png").exists()
    assert not list(tmp_path.glob(".media.before-restore*"))


@pg
def test_failed_dump_leaves_no_archive(tmp_path):
    broken = f"{_server_url()}/megashop_installer_no_such_database"
    with pytest.raises(InstallerError, match="pg_dump"):
        backup_create(database_url=broken, media_dir=tmp_path / "media", directory=tmp_path / "backups", keep=3)
    assert list((tmp_path / "backups").iterdir()) == []


@pg
def test_rotation_keeps_the_newest(databases, tmp_path):
    source, _fresh = databases
    _fill(source)
    start = datetime(2026, 1, 1, 3, 30, tzinfo=UTC)
    folder = tmp_path / "backups"
    (folder).mkdir()
    (folder / "notes.txt").write_text("не копия — не трогать")
    for day in range(5):
        backup_create(
            database_url=source, media_dir=tmp_path / "none", directory=folder, keep=3, now=start + timedelta(days=day)
        )
    names = [path.name for path in backups_list(folder)]
    assert names == ["megashop-20260103T033000Z.tar", "megashop-20260104T033000Z.tar", "megashop-20260105T033000Z.tar"]
    assert (folder / "notes.txt").exists()
    assert backup_rotate(folder, keep=1) == [folder / names[0], folder / names[1]]


def _archive_with(tmp_path, name, data=b"x", kind=tarfile.REGTYPE):
    path = tmp_path / "evil.tar"
    with tarfile.open(path, "w") as archive:
        manifest = b'{"created": "x"}'
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        archive.addfile(info, io.BytesIO(manifest))
        info = tarfile.TarInfo(name)
        info.type = kind
        if kind == tarfile.SYMTYPE:
            info.linkname = "/etc/passwd"
            archive.addfile(info)
        else:
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pg
@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("../outside.txt", tarfile.REGTYPE, "путь"),
        ("/etc/cron.d/evil", tarfile.REGTYPE, "путь"),
        ("media/link", tarfile.SYMTYPE, "ссылка"),
    ],
)
def test_restore_refuses_tampered_archives(databases, tmp_path, name, kind, message):
    _source, fresh = databases
    archive = _archive_with(tmp_path, name, kind=kind)
    with pytest.raises(InstallerError, match=message):
        backup_restore(archive_path=archive, database_url=fresh, media_dir=tmp_path / "media")
    assert not (tmp_path / "outside.txt").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    other = tmp_path / "other.tar"
    with tarfile.open(other, "w"):
        pass
    with pytest.raises(InstallerError, match="не резервная копия"):
        backup_manifest(other)


def test_libpq_env_keeps_password_out_of_argv():
    env = libpq_env("postgres://shop:p%40ss@db.local:6543/megashop")
    assert env == {
        "PGHOST": "db.local",
        "PGPORT": "6543",
        "PGUSER": "shop",
        "PGPASSWORD": "p@ss",
        "PGDATABASE": "megashop",
    }
    with pytest.raises(InstallerError, match="только для PostgreSQL"):
        libpq_env("sqlite:///db.sqlite3")
