"""Проверка настроек регионов при старте: понятная ImproperlyConfigured вместо 500."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


def start_regions_app():
    apps.get_app_config("regions").ready()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"REGIONS_RESOLVERS": ["regions.resolvers.NoSuchResolver"]}, "не удалось импортировать"),
        ({"REGIONS_RESOLVERS": ["regions.models.Region"]}, "подклассом regions.resolvers.RegionResolver"),
        ({"REGIONS_RESOLVERS": []}, "пуст"),
        (
            {"REGIONS_RESOLVERS": ["regions.resolvers.DefaultResolver", "regions.resolvers.CookieResolver"]},
            "последним",
        ),
        (
            {"REGIONS_RESOLVERS": ["regions.resolvers.CookieResolver", "regions.resolvers.CookieResolver"]},
            "повторяются",
        ),
        ({"REGIONS_TREE_MODE": "folders"}, "REGIONS_TREE_MODE"),
        ({"REGIONS_TREE_MODE": "subdomain", "REGIONS_BASE_DOMAIN": ""}, "REGIONS_BASE_DOMAIN"),
        ({"TRUSTED_PROXIES": ["10.0.0.0/8", "nginx"]}, "«nginx»"),
    ],
)
def test_bad_settings_stop_start_up_with_a_clear_message(settings, overrides, message):
    for name, value in overrides.items():
        setattr(settings, name, value)

    with pytest.raises(ImproperlyConfigured, match=message):
        start_regions_app()


def test_default_settings_pass(settings):
    start_regions_app()
