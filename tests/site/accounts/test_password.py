"""Смена пароля и восстановление по e-mail или SMS-коду."""

import pytest
from django.core import mail

from accounts.models import User
from tests.factories.accounts import UserFactory
from tests.site.accounts.conftest import client_for, last_email_code, last_sms_code

pytestmark = pytest.mark.django_db

RESET_REQUEST_URL = "/api/v1/auth/password/reset/request/"
RESET_CONFIRM_URL = "/api/v1/auth/password/reset/confirm/"
NEW_PASSWORD = "Brusnika-Lesnaya-77"


def login(api_client, login_value, password):
    return api_client.post("/api/v1/auth/login/", {"login": login_value, "password": password}, format="json")


def test_password_change_requires_current_password_and_revokes_other_sessions(api_client, user):
    # given: вход на «другом устройстве»
    old_refresh = login(api_client, user.email, "Secret-Passw0rd!").json()["refresh"]
    client = client_for(api_client, user)
    # when: неверный текущий пароль
    wrong = client.post("/api/v1/me/password/", {"current_password": "nope", "password": NEW_PASSWORD}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "wrong_password"
    # when: верный
    changed = client.post(
        "/api/v1/me/password/", {"current_password": "Secret-Passw0rd!", "password": NEW_PASSWORD}, format="json"
    )
    # then: новая пара выдана, старый refresh отозван, вход с новым паролем работает
    assert changed.status_code == 200
    assert set(changed.json()) == {"access", "refresh"}
    refreshed = api_client.post("/api/v1/auth/token/refresh/", {"refresh": old_refresh}, format="json")
    assert refreshed.json()["error"]["code"] == "token_invalid"
    api_client.credentials()
    assert login(api_client, user.email, NEW_PASSWORD).status_code == 200


def test_passwordless_account_sets_first_password_without_current_one(api_client):
    user = UserFactory(email="", phone="+79160000001", phone_verified=True)
    user.set_unusable_password()
    user.save()
    response = client_for(api_client, user).post("/api/v1/me/password/", {"password": NEW_PASSWORD}, format="json")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_applies_validators(user_client):
    response = user_client.post(
        "/api/v1/me/password/", {"current_password": "Secret-Passw0rd!", "password": "qwerty"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["code"] == "password_too_weak"


def test_password_reset_by_email_end_to_end(api_client, user):
    # given
    response = api_client.post(RESET_REQUEST_URL, {"login": "IVAN@example.ru"}, format="json")
    assert response.status_code == 202
    code = last_email_code("ivan@example.ru")
    # when
    confirmed = api_client.post(
        RESET_CONFIRM_URL, {"login": "ivan@example.ru", "code": code, "password": NEW_PASSWORD}, format="json"
    )
    # then
    assert confirmed.status_code == 200
    assert login(api_client, "ivan@example.ru", NEW_PASSWORD).status_code == 200
    assert login(api_client, "ivan@example.ru", "Secret-Passw0rd!").status_code == 401


def test_password_reset_by_sms_code(api_client, user, sms_outbox):
    api_client.post(RESET_REQUEST_URL, {"login": "8 916 123 45 67"}, format="json")
    code = last_sms_code(sms_outbox, "+79161234567")
    confirmed = api_client.post(
        RESET_CONFIRM_URL, {"login": "+79161234567", "code": code, "password": NEW_PASSWORD}, format="json"
    )
    assert confirmed.status_code == 200
    assert login(api_client, "+79161234567", NEW_PASSWORD).status_code == 200


def test_password_reset_does_not_reveal_unknown_accounts(api_client, user, sms_outbox):
    known = api_client.post(RESET_REQUEST_URL, {"login": "ivan@example.ru"}, format="json", REMOTE_ADDR="10.2.0.1")
    unknown = api_client.post(RESET_REQUEST_URL, {"login": "ghost@example.ru"}, format="json", REMOTE_ADDR="10.2.0.2")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert [message.to for message in mail.outbox] == [["ivan@example.ru"]]
    # и попытки подтверждения для несуществующего аккаунта ведут себя так же, как для существующего
    answers = [
        api_client.post(
            RESET_CONFIRM_URL, {"login": "ghost@example.ru", "code": "000000", "password": NEW_PASSWORD}, format="json"
        ).json()["error"]["code"]
        for _ in range(5)
    ]
    assert answers == ["code_invalid"] * 4 + ["code_attempts_exceeded"]


def test_login_code_cannot_reset_password(api_client, user, sms_outbox):
    # given: код входа по SMS
    api_client.post("/api/v1/auth/phone/request-code/", {"phone": "+79161234567"}, format="json")
    code = last_sms_code(sms_outbox, "+79161234567")
    # when: им пытаются сбросить пароль
    response = api_client.post(
        RESET_CONFIRM_URL, {"login": "+79161234567", "code": code, "password": NEW_PASSWORD}, format="json"
    )
    # then
    assert response.json()["error"]["code"] == "code_invalid"
    assert User.objects.get(pk=user.pk).check_password("Secret-Passw0rd!")


def test_password_reset_confirms_unverified_email(api_client):
    user = UserFactory(email="new@example.ru", email_verified=False)
    api_client.post(RESET_REQUEST_URL, {"login": "new@example.ru"}, format="json")
    code = last_email_code("new@example.ru")
    api_client.post(
        RESET_CONFIRM_URL, {"login": "new@example.ru", "code": code, "password": NEW_PASSWORD}, format="json"
    )
    user.refresh_from_db()
    assert user.email_verified is True
