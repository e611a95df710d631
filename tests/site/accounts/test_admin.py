"""Пользователи в админках Wagtail и Django: поиск по телефону, флаги подтверждения."""

import pytest

from accounts.models import Address, ConsentEvent
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_wagtail_users_can_be_found_by_phone(admin_client):
    UserFactory(username="phoneman", email="p@example.ru", phone="+79161234567", phone_verified=True)
    UserFactory(username="other", email="o@example.ru", phone="+79160000000")
    response = admin_client.get("/admin/users/", {"q": "+79161234567"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "phoneman" in content
    assert "o@example.ru" not in content


def test_wagtail_user_edit_form_shows_and_saves_contact_flags(admin_client):
    user = UserFactory(username="ivan", email="ivan@example.ru", first_name="Иван", last_name="Петров")
    page = admin_client.get(f"/admin/users/edit/{user.pk}/")
    assert page.status_code == 200
    assert 'name="phone_verified"' in page.content.decode()
    response = admin_client.post(
        f"/admin/users/edit/{user.pk}/",
        {
            "username": "ivan",
            "email": "ivan@example.ru",
            "first_name": "Иван",
            "last_name": "Петров",
            "phone": "+79161234567",
            "phone_verified": "on",
            "email_verified": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert str(user.phone) == "+79161234567"
    assert user.phone_verified and user.email_verified


def test_django_admin_user_page_shows_addresses_and_consent_journal(admin_client):
    user = UserFactory(phone="+79161234567")
    Address.objects.create(user=user, city="Тула", street="Ленина", house="5", is_default=True)
    ConsentEvent.objects.create(user=user, kind="marketing", granted=True, ip_address="10.0.0.1")
    response = admin_client.get(f"/django-admin/accounts/user/{user.pk}/change/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Тула" in content
    assert "10.0.0.1" in content


def test_django_admin_searches_users_by_phone(admin_client):
    UserFactory(username="needle", phone="+79161234567")
    response = admin_client.get("/django-admin/accounts/user/", {"q": "+79161234567"})
    assert "needle" in response.content.decode()
