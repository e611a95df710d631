"""Регистрация по e-mail, подтверждение письмом, вход по паролю и его ограничения."""

import pytest
from django.core import mail

from accounts.models import User
from tests.factories.accounts import UserFactory
from tests.site.accounts.conftest import last_email_code, wrong_code

pytestmark = pytest.mark.django_db

REGISTER_URL = "/api/v1/auth/email/register/"
RESEND_URL = "/api/v1/auth/email/resend-code/"
CONFIRM_URL = "/api/v1/auth/email/confirm/"
LOGIN_URL = "/api/v1/auth/login/"
PASSWORD = "Kalina-Malina-2024"


def register(api_client, email="anna@example.ru", password=PASSWORD, ip="10.1.0.1"):
    return api_client.post(
        REGISTER_URL, {"email": email, "password": password, "first_name": "Анна"}, format="json", REMOTE_ADDR=ip
    )


def login(api_client, login_value, password=PASSWORD, ip="10.1.0.1"):
    return api_client.post(LOGIN_URL, {"login": login_value, "password": password}, format="json", REMOTE_ADDR=ip)


def test_email_registration_end_to_end(api_client):
    # given: регистрация
    response = register(api_client, email="  Anna@Example.RU ")
    assert response.status_code == 202
    user = User.objects.get(email="anna@example.ru")
    assert user.email_verified is False
    assert user.first_name == "Анна"
    # when: до подтверждения вход не пускает, но только тому, кто знает пароль
    assert login(api_client, "anna@example.ru").json()["error"]["code"] == "email_not_verified"
    # when: подтверждение кодом из письма
    code = last_email_code("anna@example.ru")
    confirmed = api_client.post(CONFIRM_URL, {"email": "ANNA@example.ru", "code": code}, format="json")
    # then
    assert confirmed.status_code == 200
    assert set(confirmed.json()) == {"access", "refresh"}
    user.refresh_from_db()
    assert user.email_verified is True
    assert login(api_client, "anna@example.ru").status_code == 200


def test_registration_answer_is_the_same_for_taken_email_and_owner_is_notified(api_client):
    # given
    UserFactory(email="taken@example.ru", email_verified=True)
    # when
    fresh = register(api_client, email="fresh@example.ru", ip="10.1.1.1")
    taken = register(api_client, email="TAKEN@example.ru", ip="10.1.1.2")
    # then: ответы одинаковы, новый аккаунт для занятого адреса не создан, владельцу — письмо
    assert fresh.status_code == taken.status_code == 202
    assert fresh.json() == taken.json()
    assert User.objects.filter(email="taken@example.ru").count() == 1
    notice = [message for message in mail.outbox if "taken@example.ru" in message.to]
    assert len(notice) == 1
    assert "уже" in notice[0].subject


def test_weak_password_is_rejected_by_django_validators(api_client):
    response = register(api_client, password="12345678")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {field["path"] for field in fields} == {"password"}
    assert {field["code"] for field in fields} == {"password_too_weak"}
    assert not User.objects.exists()


def test_email_code_cannot_verify_another_address(api_client):
    register(api_client, email="one@example.ru", ip="10.1.2.1")
    register(api_client, email="two@example.ru", ip="10.1.2.2")
    code = last_email_code("one@example.ru")
    response = api_client.post(CONFIRM_URL, {"email": "two@example.ru", "code": code}, format="json")
    if code != last_email_code("two@example.ru"):
        assert response.json()["error"]["code"] == "code_invalid"
    assert User.objects.get(email="one@example.ru").email_verified is False


def test_verification_code_can_be_resent_with_same_answer_for_unknown_address(api_client):
    register(api_client, email="late@example.ru")
    mail.outbox.clear()
    known = api_client.post(RESEND_URL, {"email": "late@example.ru"}, format="json", REMOTE_ADDR="10.1.3.1")
    # пауза в 60 с действует и на повторную отправку
    assert known.status_code == 429
    unknown = api_client.post(RESEND_URL, {"email": "nobody@example.ru"}, format="json", REMOTE_ADDR="10.1.3.2")
    assert unknown.status_code == 202
    assert mail.outbox == []


def test_wrong_email_code_attempts_are_limited(api_client):
    register(api_client)
    code = last_email_code("anna@example.ru")
    for _ in range(5):
        api_client.post(CONFIRM_URL, {"email": "anna@example.ru", "code": wrong_code(code)}, format="json")
    response = api_client.post(CONFIRM_URL, {"email": "anna@example.ru", "code": code}, format="json")
    assert response.json()["error"]["code"] == "code_attempts_exceeded"


def test_login_errors_do_not_reveal_whether_account_exists(api_client):
    UserFactory(email="ivan@example.ru", email_verified=True)
    wrong_password = login(api_client, "ivan@example.ru", password="Wrong-password-1", ip="10.1.4.1")
    no_account = login(api_client, "ghost@example.ru", password="Wrong-password-1", ip="10.1.4.2")
    assert wrong_password.status_code == no_account.status_code == 401
    assert wrong_password.json() == no_account.json()
    assert wrong_password.json()["error"]["code"] == "invalid_credentials"


def test_login_by_phone_and_password_accepts_any_phone_notation(api_client):
    UserFactory(phone="+79161234567", phone_verified=True, password=PASSWORD)
    assert login(api_client, "8 916 123-45-67").status_code == 200


def test_login_is_throttled_per_account_after_five_failures(api_client):
    # given
    UserFactory(email="ivan@example.ru", email_verified=True)
    # when: пять неудач с разных адресов
    for index in range(5):
        assert login(api_client, "ivan@example.ru", password="nope", ip=f"10.1.5.{index}").status_code == 401
    # then: даже верный пароль временно не принимается
    blocked = login(api_client, "Ivan@Example.ru", password="Secret-Passw0rd!", ip="10.1.5.99")
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "login_throttled"
    assert blocked.json()["error"]["retry_after"] > 0


def test_login_throttling_applies_to_unknown_accounts_too(api_client):
    for index in range(5):
        login(api_client, "ghost@example.ru", password="nope", ip=f"10.1.6.{index}")
    assert login(api_client, "ghost@example.ru", password="nope", ip="10.1.6.99").status_code == 429


def test_login_is_throttled_per_ip_across_accounts(api_client, settings):
    settings.ACCOUNTS_LOGIN_FAILURES_PER_IP = 3
    for index in range(3):
        login(api_client, f"guess{index}@example.ru", password="nope", ip="10.1.7.1")
    assert login(api_client, "other@example.ru", password="nope", ip="10.1.7.1").status_code == 429
    assert login(api_client, "other@example.ru", password="nope", ip="10.1.7.2").status_code == 401


def test_successful_login_resets_account_failure_counter(api_client):
    UserFactory(email="ivan@example.ru", email_verified=True)
    for _ in range(4):
        login(api_client, "ivan@example.ru", password="nope")
    assert login(api_client, "ivan@example.ru", password="Secret-Passw0rd!").status_code == 200
    for _ in range(4):
        assert login(api_client, "ivan@example.ru", password="nope").status_code == 401


def test_blocked_account_cannot_log_in_with_correct_password(api_client):
    UserFactory(email="ivan@example.ru", email_verified=True, is_active=False)
    response = login(api_client, "ivan@example.ru", password="Secret-Passw0rd!")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "account_disabled"


def test_staff_username_cannot_be_used_to_log_in_through_api(api_client):
    UserFactory(username="admin", email="admin@example.ru", email_verified=True, is_staff=True)
    response = login(api_client, "admin", password="Secret-Passw0rd!")
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["path"] == "login"
