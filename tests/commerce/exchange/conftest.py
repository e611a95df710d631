"""Фикстуры обмена: каталог из общих фикстур коммерции, файлы заданий во временной папке."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Хранить загруженные и выгруженные файлы во временной папке теста."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


HEADER = [
    "sku",
    "barcode",
    "variant_name",
    "slug",
    "name",
    "category",
    "brand",
    "description",
    "attr:color",
    "price:base",
    "old_price:base",
    "stock:msk-1",
]


@pytest.fixture
def header():
    return list(HEADER)
