"""Вход в HTML-админки закрывается после пяти неудач, как вход через API, и верный пароль не пускает.

Внешняя проверка нашла: /admin/ и /django-admin/ приняли 25 неверных паролей и затем верный.
Счётчики общие с API (accounts.limits): аккаунт по логину и адрес клиента.
"""

import pytest

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Secret-Passw0rd!"
LOGINS = {"wagtail": "/admin/login/", "django": "/django-admin/login/"}


@pytest.fixture
def staff():
    return UserFactory(username="manager", email="manager@example.ru", is_staff=True, is_superuser=True)


def post_login(client, admin, username, password, ip="198.51.100.5"):
    return client.post(LOGINS[admin], {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("admin", ["wagtail", "django"])
def test_right_password_is_refused_after_five_wrong_ones_and_the_form_says_why(client, staff, admin):
    # given: пять неверных паролей
    for _ in range(5):
        assert post_login(client, admin, "manager", "wrong-password").status_code == 200
    # when: верный пароль
    response = post_login(client, admin, "manager", PASSWORD)
    # then: не вошёл, и форма объясняет причину по-русски
    assert response.status_code == 200
    assert not logged_in(client)
    assert "Слишком много неудачных попыток входа" in response.content.decode()


@pytest.mark.parametrize("admin", ["wagtail", "django"])
def test_lock_expires_after_the_window(client, staff, admin, settings, monkeypatch):
    from accounts import limits

    for _ in range(5):
        post_login(client, admin, "manager", "wrong-password")
    now = limits.current_timestamp()
    monkeypatch.setattr(limits, "current_timestamp", lambda: now + settings.ACCOUNTS_LOGIN_WINDOW_SECONDS + 1)
    response = post_login(client, admin, "manager", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_one_address_guessing_many_accounts_is_stopped_per_ip(client, settings):
    settings.ACCOUNTS_LOGIN_FAILURES_PER_IP = 3
    UserFactory(username="victim", is_staff=True, is_superuser=True)
    for number in range(3):
        post_login(client, "django", f"user{number}", "wrong-password")
    response = post_login(client, "django", "victim", PASSWORD)
    assert not logged_in(client)
    assert "Слишком много неудачных попыток входа" in response.content.decode()
    # с другого адреса владелец входит
    assert post_login(client, "django", "victim", PASSWORD, ip="203.0.113.9").status_code == 302


def test_failures_through_the_api_count_for_the_admin_login_of_the_same_email(client, api_client, staff):
    for _ in range(5):
        api_client.post("/api/v1/auth/login/", {"login": "manager@example.ru", "password": "wrong"}, format="json")
    response = post_login(client, "django", "manager@example.ru", PASSWORD, ip="203.0.113.30")
    assert not logged_in(client)
    assert "Слишком много неудачных попыток входа" in response.content.decode()
