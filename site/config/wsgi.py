"""Точка входа WSGI (gunicorn config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from config import paths  # noqa: F401  (добавляет site/ в sys.path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
