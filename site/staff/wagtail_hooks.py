"""Хуки Wagtail сотрудников: меню по ролям (staff.menu)."""

from staff import menu  # noqa: F401 — регистрирует хуки меню
