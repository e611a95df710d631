"""manage.py bootstrap: одна идемпотентная команда подготовки базы сервера."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Site

pytestmark = pytest.mark.django_db


def _bootstrap(**options):
    out = io.StringIO()
    call_command("bootstrap", stdout=out, **options)
    return out.getvalue()


def test_bootstrap_creates_superuser_once_with_password_from_env(settings):
    settings.MEGASHOP_SUPERUSER_PASSWORD = "Pa55-word-from-env"
    settings.MEGASHOP_SUPERUSER_EMAIL = "boss@example.ru"
    settings.MEGASHOP_ADMIN_PHONE = "+79991234567"
    settings.WAGTAIL_SITE_NAME = "Мой магазин"
    output = _bootstrap()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.email == "boss@example.ru"
    assert admin.check_password("Pa55-word-from-env")
    assert str(admin.phone) == "+79991234567"
    assert "Pa55-word-from-env" not in output
    assert "Сервер готов к работе." in output
    assert Site.objects.get(is_default_site=True).site_name == "Мой магазин"
    # Роли сотрудников ставят миграции staff — bootstrap их применяет.
    assert Group.objects.filter(name="Менеджер заказов").exists()
    settings.MEGASHOP_SUPERUSER_PASSWORD = "another"
    _bootstrap()
    admin.refresh_from_db()
    assert admin.check_password("Pa55-word-from-env")
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_bootstrap_keeps_an_existing_superuser_with_another_name(settings):
    get_user_model().objects.create_superuser(username="owner", email="o@example.ru", password="x")
    settings.MEGASHOP_ADMIN_PHONE = ""
    _bootstrap()
    assert list(get_user_model().objects.filter(is_superuser=True).values_list("username", flat=True)) == ["owner"]


def test_bootstrap_does_not_steal_a_phone_of_another_user(settings):
    get_user_model().objects.create_user(username="client", password="x", phone="+79991234567")
    settings.MEGASHOP_ADMIN_PHONE = "+79991234567"
    _bootstrap()
    assert get_user_model().objects.get(username="admin").phone is None
