"""Архив выпуска (make release): git archive + VERSION + собранная React-админка, рядом — SHA-256.

Сборка админки (admin-ui/dist) в git не хранится, а серверу Node.js не нужен: архив несёт её
готовой. Файлы сборки кладутся с нулевым временем и в порядке имён — архив воспроизводим.
"""

import gzip
import hashlib
import io
import subprocess
import tarfile
from pathlib import Path

from installer.layout import release_version
from installer.plan import InstallerError


def sha256_file(path):
    """Вернуть шестнадцатеричный SHA-256 файла."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


ADMIN_UI_DIST = Path("admin-ui") / "dist"


def admin_ui_bundle(source):
    """Вернуть папку собранной React-админки в source.

    Raises:
        InstallerError: сборки нет (make release собирает её сам; install.sh release — нет).
    """
    dist = Path(source) / ADMIN_UI_DIST
    if not (dist / "index.html").is_file():
        raise InstallerError(
            "Нет сборки React-админки admin-ui/dist: соберите её (make admin-ui) или запустите make release."
        )
    return dist


def _directory_add(archive, *, folder, name_prefix):
    for path in sorted(item for item in folder.rglob("*") if item.is_file()):
        data = path.read_bytes()
        info = tarfile.TarInfo(name_prefix + path.relative_to(folder).as_posix())
        info.size, info.mode = len(data), 0o644
        archive.addfile(info, io.BytesIO(data))


def release_build(*, source, output, admin_ui_dist=None, ref="HEAD"):
    """Собрать megashop-ВЕРСИЯ.tar.gz из коммита ref (HEAD) и .sha256 к нему; вернуть оба пути.

    В архив попадает только то, что в git (без .venv, .env и данных), плюс VERSION и, если
    передана папка admin_ui_dist, собранная React-админка (admin-ui/dist/ в архиве).
    """
    source, output = Path(source), Path(output)
    version = release_version(source, ref=ref)
    prefix = f"megashop-{version}/"
    output.mkdir(parents=True, exist_ok=True)
    try:
        tar_bytes = subprocess.run(
            ["git", "-C", str(source), "archive", "--format=tar", f"--prefix={prefix}", ref],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise InstallerError(f"Выпуск собирается из git-репозитория: {error}") from error
    buffer = io.BytesIO(tar_bytes)
    with tarfile.open(fileobj=buffer, mode="a") as archive:
        data = f"{version}\n".encode()
        info = tarfile.TarInfo(prefix + "VERSION")
        info.size, info.mode = len(data), 0o644
        archive.addfile(info, io.BytesIO(data))
        if admin_ui_dist is not None:
            _directory_add(archive, folder=Path(admin_ui_dist), name_prefix=prefix + ADMIN_UI_DIST.as_posix() + "/")
    target = output / f"megashop-{version}.tar.gz"
    # mtime=0: один и тот же коммит даёт один и тот же архив (воспроизводимая контрольная сумма).
    with open(target, "wb") as handle, gzip.GzipFile(filename="", mode="wb", fileobj=handle, mtime=0) as packed:
        packed.write(buffer.getvalue())
    checksum = target.with_name(target.name + ".sha256")
    checksum.write_text(f"{sha256_file(target)}  {target.name}\n", encoding="utf-8")
    return target, checksum


def release_verify(archive):
    """Сверить архив с файлом АРХИВ.sha256 рядом (формат sha256sum).

    Raises:
        InstallerError: нет файла суммы или сумма не совпадает.
    """
    archive = Path(archive)
    checksum = archive.with_name(archive.name + ".sha256")
    if not checksum.is_file():
        raise InstallerError(f"Нет {checksum.name} рядом с архивом: скачайте его вместе с выпуском (или --no-verify).")
    expected = checksum.read_text(encoding="utf-8").split()[0].lower()
    actual = sha256_file(archive)
    if actual != expected:
        raise InstallerError(f"Контрольная сумма {archive.name} не совпадает: архив повреждён или подменён.")
