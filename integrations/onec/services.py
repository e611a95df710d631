"""Записи обмена с 1С: вход пользователя обмена, сессии, приём файлов частями, распаковка zip."""

import hmac
import secrets
import shutil
import zipfile
from datetime import timedelta
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.core.models import Connection, SyncDirection, SyncRun, SyncState
from integrations.onec.models import ExchangeFile, ExchangeImport, ExchangeSession, ExchangeType, ImportState

COOKIE_NAME = "megashop_1c"
# Что 1С вправе положить в папку обмена: XML, архив и картинки товаров.
ALLOWED_SUFFIXES = {".xml", ".zip", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp"}


class ExchangeError(Exception):
    """Отказ протоколу: текст по-русски для второй строки ответа ``failure``."""


def exchange_root():
    return Path(settings.ONEC_EXCHANGE_ROOT)


def session_folder(session):
    """Папка файлов сессии: <ONEC_EXCHANGE_ROOT>/<подключение>/<id сессии>/."""
    return exchange_root() / str(session.connection.code) / str(session.pk)


def connection_authenticate(*, username, password):
    """Найти включённое подключение 1С с этим пользователем и паролем или поднять ExchangeError."""
    for connection in Connection.objects.filter(system="onec", enabled=True):
        if not hmac.compare_digest(str(connection.options.get("username", "")), username):
            continue
        stored = connection.secrets_get().get("password", "") if connection.secrets_encrypted else ""
        if stored and hmac.compare_digest(stored.encode(), password.encode()):
            return connection
    raise ExchangeError(_("Неверный логин или пароль пользователя обмена."))


@transaction.atomic
def session_start(*, connection, exchange_type, remote_addr=None):
    """Начать сессию обмена (checkauth); отказать, если у подключения идёт загрузка другой сессии."""
    Connection.objects.select_for_update().filter(pk=connection.pk).first()
    busy = ExchangeImport.objects.filter(
        session__connection=connection,
        state__in=[ImportState.QUEUED, ImportState.RUNNING],
        session__last_seen_at__gte=timezone.now() - timedelta(seconds=settings.ONEC_SESSION_TTL),
    ).exists()
    if busy:
        raise ExchangeError(_("Идёт другой обмен с этим сайтом: дождитесь его окончания и повторите."))
    return ExchangeSession.objects.create(
        connection=connection,
        type=exchange_type,
        token=secrets.token_urlsafe(32),
        remote_addr=remote_addr,
    )


def session_get(*, token, exchange_type):
    """Вернуть живую сессию по cookie или поднять ExchangeError (нет, истекла, другой тип)."""
    session = (
        ExchangeSession.objects.select_related("connection", "sync_run").filter(token=token).first() if token else None
    )
    ttl = timedelta(seconds=settings.ONEC_SESSION_TTL)
    if session is None or session.last_seen_at < timezone.now() - ttl or not session.connection.enabled:
        raise ExchangeError(_("Сессия обмена не найдена или истекла: начните обмен заново (checkauth)."))
    if session.type != exchange_type:
        raise ExchangeError(_("Сессия открыта для другого типа обмена."))
    ExchangeSession.objects.filter(pk=session.pk).update(last_seen_at=timezone.now())
    return session


def session_init(*, session):
    """Начать обмен (init): очистить папку сессии, убрать старые сессии сверх ONEC_SESSIONS_KEPT, открыть журнал."""
    folder = session_folder(session)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    ExchangeFile.objects.filter(session=session).delete()
    ExchangeImport.objects.filter(session=session).delete()
    old = ExchangeSession.objects.filter(connection=session.connection).order_by("-pk")[settings.ONEC_SESSIONS_KEPT :]
    for stale in old:
        shutil.rmtree(session_folder(stale), ignore_errors=True)
    if session.sync_run is None:
        session.sync_run = SyncRun.objects.create(
            connection=session.connection,
            direction=SyncDirection.PULL if session.type == ExchangeType.CATALOG else SyncDirection.PUSH,
        )
        session.save(update_fields=["sync_run"])
    return session


def run_finish(run):
    """Обновить итог и длительность записи журнала после шага обмена."""
    if run is None:
        return
    if run.state != SyncState.FAILED:
        run.state = SyncState.ERRORS if run.failed else SyncState.OK
    run.finished_at = timezone.now()
    run.save()


def filename_clean(filename):
    """Проверить имя файла 1С и вернуть относительный путь внутри папки сессии.

    Raises:
        ExchangeError: пустое имя, абсолютный путь, ``..``, недопустимое расширение.
    """
    name = (filename or "").replace("\\", "/").strip()
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or ":" in name or "\x00" in name:
        raise ExchangeError(_("Недопустимое имя файла «%(name)s».") % {"name": filename or ""})
    if path.suffix.casefold() not in ALLOWED_SUFFIXES:
        raise ExchangeError(_("Файлы «%(suffix)s» не принимаются.") % {"suffix": path.suffix or name})
    return Path(*path.parts)


def file_receive(*, session, filename, stream, length):
    """Принять часть файла (mode=file): дописать к файлу с тем же именем, потоком на диск.

    Часть, которая начинается с ``<?xml`` (или BOM и ``<?xml``), начинает файл заново: 1С
    повторила выгрузку. Часть больше ONEC_FILE_LIMIT — отказ.

    Returns:
        (путь файла, байт в этой части) — часть короче ONEC_FILE_LIMIT последняя.
    """
    relative = filename_clean(filename)
    limit = settings.ONEC_FILE_LIMIT
    if length is not None and length > limit:
        raise ExchangeError(
            _("Часть файла больше допустимого (%(limit)s байт): уменьшите размер части в узле обмена.")
            % {"limit": limit}
        )
    folder = session_folder(session)
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    first = stream.read(min(64 * 1024, limit + 1))
    restart = first.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"<?xml")
    record, _created = ExchangeFile.objects.get_or_create(session=session, name=str(relative).replace("\\", "/"))
    written = 0
    mode = "wb" if restart or not target.exists() else "ab"
    with target.open(mode) as handle:
        block = first
        while block:
            written += len(block)
            if written > limit:
                handle.close()
                target.unlink(missing_ok=True)
                record.delete()
                raise ExchangeError(_("Часть файла больше допустимого (%(limit)s байт).") % {"limit": limit})
            handle.write(block)
            block = stream.read(64 * 1024)
    record.size = target.stat().st_size
    record.chunks = 1 if mode == "wb" else record.chunks + 1
    record.save(update_fields=["size", "chunks", "received_at"])
    return target, written


def archives_unpack(*, session):
    """Распаковать zip-архивы папки сессии (первый mode=import) и удалить их.

    Пути внутри архива проверяются так же, как имена файлов; общий распакованный размер
    ограничен ONEC_UNZIP_MAX_BYTES, а степень сжатия — ONEC_UNZIP_MAX_RATIO (zip-бомба).
    """
    folder = session_folder(session)
    for archive in sorted(folder.glob("*.zip")):
        try:
            with zipfile.ZipFile(archive) as bundle:
                entries = [entry for entry in bundle.infolist() if not entry.is_dir()]
                total = 0
                for entry in entries:
                    filename_clean(entry.filename)
                    total += entry.file_size
                    if entry.compress_size and entry.file_size / entry.compress_size > settings.ONEC_UNZIP_MAX_RATIO:
                        raise ExchangeError(_("Архив %(name)s подозрительно сильно сжат.") % {"name": archive.name})
                if total > settings.ONEC_UNZIP_MAX_BYTES:
                    raise ExchangeError(
                        _("Архив %(name)s распаковывается больше чем в %(limit)s байт.")
                        % {"name": archive.name, "limit": settings.ONEC_UNZIP_MAX_BYTES}
                    )
                for entry in entries:
                    target = folder / filename_clean(entry.filename)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    written = 0
                    with bundle.open(entry) as source, target.open("wb") as handle:
                        for block in iter(lambda source=source: source.read(1 << 20), b""):
                            written += len(block)
                            if written > entry.file_size:
                                raise ExchangeError(_("Архив %(name)s повреждён.") % {"name": archive.name})
                            handle.write(block)
        except zipfile.BadZipFile:
            raise ExchangeError(_("Файл %(name)s — не zip-архив или повреждён.") % {"name": archive.name}) from None
        archive.unlink()


def import_start(*, session, filename):
    """Начать загрузку XML сессии (первый mode=import) или вернуть уже начатую.

    Returns:
        (ExchangeImport, создана ли сейчас).
    """
    relative = filename_clean(filename)
    existing = ExchangeImport.objects.filter(session=session, filename=str(relative)).first()
    if existing is not None:
        return existing, False
    archives_unpack(session=session)
    path = session_folder(session) / relative
    if not path.is_file():
        raise ExchangeError(_("Файл %(name)s не был загружен в этой сессии.") % {"name": relative})
    job = ExchangeImport.objects.create(session=session, filename=str(relative))
    return job, True
