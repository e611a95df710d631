"""Настройки, корневые URL, точки входа WSGI/ASGI и приложение Celery."""

from .celery import app as celery_app

__all__ = ["celery_app"]
