"""Пути проекта и подключение папки site/ к sys.path.

Модуль импортируется из wsgi.py, asgi.py и приложения Celery, которые могут стартовать
без manage.py (gunicorn, celery worker), поэтому путь добавляется здесь, один раз.
"""

import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
SITE_DIR = BASE_DIR / "site"

if str(SITE_DIR) not in sys.path:
    sys.path.insert(1, str(SITE_DIR))
if str(BASE_DIR) not in sys.path:
    sys.path.insert(1, str(BASE_DIR))
