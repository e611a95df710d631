"""Фикстуры блога: регионы с деревьями страниц, блоги регионов, медиа во временной папке."""

import pytest
from wagtail.models import Locale

from regions.models import RegionHomePage
from regions.registry import region_registry_invalidate
from regions.services import region_tree_build
from tests.factories.blog import BlogIndexPageFactory
from tests.factories.regions import RegionFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Складывать картинки и их варианты во временную папку теста."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def regions(db):
    """Москва (регион по умолчанию — общий контент) и Казань с деревьями страниц в режиме подпапок."""
    moscow = RegionFactory(code="msk", name="Москва", name_en="Moscow", is_default=True, sort_order=10)
    kazan = RegionFactory(code="kzn", name="Казань", name_en="Kazan", sort_order=20)
    region_registry_invalidate()
    region_tree_build(mode="subfolder", base_domain="testserver")
    return {"msk": moscow, "kzn": kazan}


@pytest.fixture
def homes(regions):
    """Домашние страницы регионов на языке по умолчанию."""
    default_locale = Locale.get_default()
    return {code: RegionHomePage.objects.get(region=region, locale=default_locale) for code, region in regions.items()}


@pytest.fixture
def shared_blog(homes):
    """Общий блог — под домашней страницей региона по умолчанию (Москва)."""
    return BlogIndexPageFactory(parent=homes["msk"], title="Блог", slug="blog")


@pytest.fixture
def kazan_blog(homes):
    """Блог Казани — только для посетителей из Казани."""
    return BlogIndexPageFactory(parent=homes["kzn"], title="Блог Казани", slug="blog")
