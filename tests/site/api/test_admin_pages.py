"""Страницы входа в админки Wagtail и Django."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_admin_login_page_renders(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content


def test_staff_user_reaches_wagtail_dashboard(client):
    from tests.factories.accounts import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.get("/admin/")

    assert response.status_code == 200


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
