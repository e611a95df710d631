"""Архив выпуска с контрольной суммой и обновление из него (под --root, без системных команд)."""

import shutil
import subprocess
import tarfile

import pytest

from installer.envfile import envfile_parse
from installer.plan import InstallerError
from installer.release import release_build, release_verify

from .conftest import ROOT, run_install

RELEASE_FILES = ("install.sh", "pyproject.toml", "requirements.txt", "docker-compose.yml")


def _git(repo, *args):
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.email=ci@example.ru", "-c", "user.name=CI", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path):
    """Маленький git-репозиторий с установщиком — как дерево Megashop."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for folder in ("installer", "deploy"):
        shutil.copytree(ROOT / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in RELEASE_FILES:
        shutil.copy2(ROOT / name, repo / name)
    (repo / ".env").write_text("SECRET_KEY=local-only\n")
    (repo / ".gitignore").write_text(".env\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "release")
    return repo


def test_release_archive_has_version_and_verifiable_checksum(repo, tmp_path):
    archive, checksum = release_build(source=repo, output=tmp_path / "dist")
    assert archive.name.startswith("megashop-0.1.0-") and archive.name.endswith(".tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        prefix = archive.name.removesuffix(".tar.gz")
        assert f"{prefix}/install.sh" in names
        assert f"{prefix}/installer/cli.py" in names
        assert f"{prefix}/.env" not in names  # только закоммиченное
        assert tar.extractfile(f"{prefix}/VERSION").read().decode().strip() == prefix.removeprefix("megashop-")
    # Формат файла суммы — как у sha256sum: администратор проверяет им же.
    subprocess.run(["sha256sum", "-c", checksum.name], cwd=checksum.parent, check=True, capture_output=True)
    release_verify(archive)


def test_release_is_reproducible(repo, tmp_path):
    first, _ = release_build(source=repo, output=tmp_path / "a")
    second, _ = release_build(source=repo, output=tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()


def test_tampered_or_unsigned_archive_is_refused(repo, tmp_path):
    archive, checksum = release_build(source=repo, output=tmp_path / "dist")
    with archive.open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(InstallerError, match="не совпадает"):
        release_verify(archive)
    checksum.unlink()
    with pytest.raises(InstallerError, match=r"\.sha256"):
        release_verify(archive)


def test_upgrade_from_archive_keeps_secrets_and_answers(repo, tmp_path):
    root = tmp_path / "root"
    run_install("--root", str(root), "--non-interactive", "--domain", "shop.example.ru", "--tls", "internal")
    before = envfile_parse((root / "etc/megashop/megashop.env").read_text())
    archive, _ = release_build(source=repo, output=tmp_path / "dist")
    result = run_install("upgrade", str(archive), "--root", str(root))
    assert f"Контрольная сумма {archive.name} совпадает." in result.stdout
    assert "Обновлено до 0.1.0-" in result.stdout
    after = envfile_parse((root / "etc/megashop/megashop.env").read_text())
    assert after == before
    version = archive.name.removesuffix(".tar.gz").removeprefix("megashop-")
    assert str((root / "opt/megashop/current").readlink()) == f"/opt/megashop/releases/{version}"


def test_failed_upgrade_prints_rollback_steps(repo, tmp_path):
    root = tmp_path / "root"
    run_install("--root", str(root), "--non-interactive", "--domain", "shop.example.ru", "--tls", "internal")
    previous = str((root / "opt/megashop/current").readlink()).rsplit("/", 1)[-1]
    (repo / "pyproject.toml").write_text(
        (repo / "pyproject.toml").read_text().replace('version = "0.1.0"', 'version = "9.9.9"')
    )
    # Новый выпуск с ошибкой в установке: неверный шаблон юнита.
    (repo / "deploy/systemd/megashop.target").write_text("[Unit]\nWants=@@NO_SUCH_VALUE@@\n")
    _git(repo, "commit", "-qam", "broken")
    archive, _ = release_build(source=repo, output=tmp_path / "dist")
    result = run_install("upgrade", str(archive), "--root", str(root), check=False)
    assert result.returncode != 0
    assert "нет значения для @@NO_SUCH_VALUE@@" in result.stderr
    assert "Обновление не удалось" in result.stdout
    assert f"ln -sfn /opt/megashop/releases/{previous} /opt/megashop/current" in result.stdout


def test_upgrade_refuses_checksum_mismatch(repo, tmp_path):
    archive, checksum = release_build(source=repo, output=tmp_path / "dist")
    checksum.write_text("0" * 64 + f"  {archive.name}\n")
    result = run_install("upgrade", str(archive), "--root", str(tmp_path / "root"), check=False)
    assert result.returncode == 1
    assert "не совпадает" in result.stderr


def test_release_carries_the_prebuilt_admin_ui_reproducibly(repo, tmp_path):
    # given: сборка React-админки (в git её нет)
    dist = tmp_path / "bundle"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text('<div id="root"></div>')
    (dist / "assets" / "index-abc.js").write_text("console.log(1)")

    # when
    first, _ = release_build(source=repo, output=tmp_path / "a", admin_ui_dist=dist)
    second, _ = release_build(source=repo, output=tmp_path / "b", admin_ui_dist=dist)

    # then
    prefix = first.name.removesuffix(".tar.gz")
    with tarfile.open(first) as tar:
        assert tar.extractfile(f"{prefix}/admin-ui/dist/assets/index-abc.js").read() == b"console.log(1)"
        assert f"{prefix}/admin-ui/dist/index.html" in tar.getnames()
    assert first.read_bytes() == second.read_bytes()


def test_release_without_a_built_admin_ui_says_how_to_build_it(repo):
    from installer.release import admin_ui_bundle

    with pytest.raises(InstallerError, match="make admin-ui"):
        admin_ui_bundle(repo)
