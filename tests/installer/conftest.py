"""Общее для тестов установщика: запуск ./install.sh под --root и чтение созданных файлов."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALL_SH = ROOT / "install.sh"


def run_install(*args, env=None, check=True, stdin=None):
    """Запустить настоящий ./install.sh (обёртка sh + пакет installer) и вернуть CompletedProcess."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("MEGASHOP_")}
    environment.update(env or {})
    result = subprocess.run(
        [str(INSTALL_SH), *args],
        capture_output=True,
        text=True,
        env=environment,
        input=stdin,
        check=False,
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"install.sh {' '.join(args)} → {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture
def install_root(tmp_path):
    """Вернуть функцию: установка под --root tmp_path с заданными флагами (без вопросов)."""
    root = tmp_path / "root"

    def install(*flags, env=None, check=True):
        return run_install("install", "--root", str(root), "--non-interactive", *flags, env=env, check=check)

    install.root = root
    return install


@pytest.fixture(autouse=True)
def _installer_importable(monkeypatch):
    """Сделать пакет installer импортируемым так же, как его запускает install.sh."""
    monkeypatch.syspath_prepend(str(ROOT))
    assert sys.path[0] == str(ROOT)
