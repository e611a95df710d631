"""Приёмники каталога слушают явный список моделей: каждая модель из списка меняет витрину, чужая — нет."""

import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from commerce.catalog.cache import DATA_VERSION_KEY, STRUCTURE_VERSION_KEY
from commerce.catalog.models import ExternalId, ExternalSystem, ProductImage
from commerce.catalog.senders import CATALOG_CHANGE_SENDERS, CDN_PURGE_SENDERS, NOT_WATCHED, STRUCTURE_MODELS
from tests.factories.accounts import UserFactory
from tests.factories.blog import ImageFactory
from tests.factories.catalog import BrandFactory

pytestmark = pytest.mark.django_db

# Приложения, чьи модели составляют витрину каталога: каждая их модель должна быть учтена.
CATALOG_APPS = ("catalog", "pricing", "inventory")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _versions():
    return cache.get(STRUCTURE_VERSION_KEY), cache.get(DATA_VERSION_KEY)


def _instance(model, world):
    """Строка модели из каталога фикстуры (изображения товара в нём нет — создаётся)."""
    if model is ProductImage:
        return ProductImage(product=world.laptop, image=ImageFactory())
    instance = model.objects.order_by("pk").first()
    assert instance is not None, f"в фикстуре catalog нет строки {model.__name__}"
    return instance


def _unrelated_saves(world):
    """Сохранить строки, которые витрину не меняют: пользователя и внешний id товара."""
    UserFactory()
    ExternalId.objects.create(
        content_type=ContentType.objects.get_for_model(world.laptop),
        object_id=world.laptop.pk,
        system=ExternalSystem.choices[0][0],
        value="ext-1",
    )


def test_every_catalog_model_is_either_watched_or_excluded_with_a_reason():
    # given: все модели каталога, цен и остатков
    models = [model for label in CATALOG_APPS for model in apps.get_app_config(label).get_models()]

    # then: новая модель не пройдёт незамеченной — её нужно внести в список или в исключения с причиной
    unclassified = [model.__name__ for model in models if model not in CATALOG_CHANGE_SENDERS + tuple(NOT_WATCHED)]
    assert unclassified == []
    assert all(reason.strip() for reason in NOT_WATCHED.values())
    assert not set(NOT_WATCHED) & set(CATALOG_CHANGE_SENDERS)
    assert set(CDN_PURGE_SENDERS) <= set(CATALOG_CHANGE_SENDERS)


@pytest.mark.parametrize("model", CATALOG_CHANGE_SENDERS, ids=lambda model: model.__name__)
def test_saving_each_watched_model_changes_the_catalog_version(catalog, model):
    # given
    instance = _instance(model, catalog)
    structure_before, data_before = _versions()

    # when
    instance.save()

    # then: версия данных сменилась всегда, версия структуры — для моделей структуры
    structure_after, data_after = _versions()
    assert data_after != data_before
    assert (structure_after != structure_before) is (model in STRUCTURE_MODELS)


def test_deleting_a_watched_model_changes_the_catalog_version(catalog):
    # given
    brand = BrandFactory()
    before = _versions()

    # when
    brand.delete()

    # then
    assert _versions()[0] != before[0]
    assert _versions()[1] != before[1]


def test_saving_an_unrelated_model_leaves_the_catalog_version(catalog):
    # given
    before = _versions()

    # when: пользователь и внешний id товара (модель каталога из NOT_WATCHED)
    _unrelated_saves(catalog)

    # then: ни версия данных, ни версия структуры не сменились — кэш витрины цел
    assert _versions() == before


@pytest.fixture
def fake_varnish(httpserver, settings):
    """Поддельный Varnish на 127.0.0.1: принимает PURGE и запоминает их (httpserver.log)."""
    httpserver.expect_request(re.compile(".*"), method="PURGE").respond_with_data("")
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": httpserver.url_for("/").rstrip("/"),
        }
    }
    settings.CDN_PURGE_BASE_URL = "http://shop.test"
    return httpserver


def _purged_paths(server):
    return [request.path for request, _response in server.log if request.method == "PURGE"]


@pytest.mark.parametrize("model", CDN_PURGE_SENDERS, ids=lambda model: model.__name__)
def test_saving_each_cdn_sender_purges_the_cdn(catalog, fake_varnish, model, django_capture_on_commit_callbacks):
    # given
    instance = _instance(model, catalog)

    # when: сброс уходит после фиксации транзакции
    with django_capture_on_commit_callbacks(execute=True):
        instance.save()

    # then: структура — ключ catalog, остальное — ключ товара
    paths = _purged_paths(fake_varnish)
    if model in STRUCTURE_MODELS:
        assert paths == ["/.cdn-keys/catalog"]
    else:
        assert any(re.fullmatch(r"/\.cdn-keys/product-\d+", path) for path in paths), paths


def test_saving_an_unrelated_model_purges_nothing(catalog, fake_varnish, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _unrelated_saves(catalog)

    # then
    assert _purged_paths(fake_varnish) == []
