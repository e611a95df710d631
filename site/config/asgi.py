"""Точка входа ASGI (uvicorn config.asgi:application)."""

import os

from django.core.asgi import get_asgi_application

from config import paths  # noqa: F401  (добавляет site/ в sys.path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_asgi_application()
