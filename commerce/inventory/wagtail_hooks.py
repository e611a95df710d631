"""Склады в Wagtail admin — в группе «Каталог» (см. commerce/catalog/wagtail_hooks.py); здесь — панель главной."""

from commerce.inventory import admin_panels  # noqa: F401 — регистрирует панель «Мало на складе»
