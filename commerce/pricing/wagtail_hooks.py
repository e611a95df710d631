"""Прайс-листы в Wagtail admin — в группе «Каталог» (см. commerce/catalog/wagtail_hooks.py)."""
