"""Где лежит собранная React-админка и что в ней есть.

Сборка (``make admin-ui`` → ``admin-ui/dist``) — это ``index.html`` и папка ``assets/`` с файлами,
в именах которых хеш содержимого (Vite): такой файл никогда не меняется, поэтому кэшируется
навсегда, а ``index.html`` — всегда перепроверяется.
"""

from pathlib import Path

from django.conf import settings

ASSETS_DIR = "assets"


def bundle_dir():
    """Вернуть папку сборки (настройка MANAGE_UI_DIST)."""
    return Path(settings.MANAGE_UI_DIST)


def bundle_index():
    """Вернуть путь к index.html сборки или None, если сборки нет."""
    index = bundle_dir() / "index.html"
    return index if index.is_file() else None


def bundle_asset(name):
    """Вернуть путь к файлу assets/<name> сборки или None (нет файла или путь выходит за папку)."""
    root = (bundle_dir() / ASSETS_DIR).resolve()
    candidate = (root / name).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate
