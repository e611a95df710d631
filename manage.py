#!/usr/bin/env python
"""Точка входа Django для командной строки.

Папка site/ добавляется в sys.path: `site` — имя модуля стандартной библиотеки, поэтому
пакеты config, api, accounts и regions лежат в обычной папке, а не в пакете `site`.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def main():
    """Запустить команду Django с нашим sys.path и модулем настроек."""
    sys.path.insert(1, str(BASE_DIR / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
