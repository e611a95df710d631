"""Профиль /me/: чтение и правка, смена e-mail и телефона с подтверждением, согласия, удаление."""

import pytest
from django.core import mail
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import Address, ConsentEvent, User
from tests.factories.accounts import UserFactory
from tests.site.accounts.conftest import client_for, last_email_code, last_sms_code

pytestmark = pytest.mark.django_db


def test_profile_requires_authentication(api_client):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_profile_shows_own_data(user_client, user):
    data = user_client.get("/api/v1/me/").json()
    assert data == {
        "id": user.pk,
        "email": "ivan@example.ru",
        "email_verified": True,
        "phone": "+79161234567",
        "phone_verified": True,
        "first_name": "",
        "last_name": "",
        "has_password": True,
    }


def test_profile_update_changes_name_but_not_contacts(user_client, user):
    response = user_client.patch(
        "/api/v1/me/", {"first_name": "Иван", "last_name": "Петров", "email": "x@example.ru"}, format="json"
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email) == ("Иван", "Петров", "ivan@example.ru")


def test_email_change_requires_code_sent_to_new_address(user_client, user):
    # given
    assert user_client.post("/api/v1/me/email/", {"email": "New@Example.ru"}, format="json").status_code == 202
    user.refresh_from_db()
    assert user.email == "ivan@example.ru"
    code = last_email_code("new@example.ru")
    # when
    response = user_client.post("/api/v1/me/email/confirm/", {"email": "new@example.ru", "code": code}, format="json")
    # then
    assert response.status_code == 200
    assert response.json()["email"] == "new@example.ru"
    assert response.json()["email_verified"] is True


def test_email_change_code_cannot_confirm_another_address(user_client):
    user_client.post("/api/v1/me/email/", {"email": "x@example.ru"}, format="json")
    code = last_email_code("x@example.ru")
    response = user_client.post("/api/v1/me/email/confirm/", {"email": "y@example.ru", "code": code}, format="json")
    assert response.json()["error"]["code"] == "code_invalid"


def test_email_change_code_of_one_user_does_not_work_for_another(api_client, user):
    # given: Иван запросил смену e-mail
    client_for(api_client, user).post("/api/v1/me/email/", {"email": "shared@example.ru"}, format="json")
    code = last_email_code("shared@example.ru")
    # when: код пробует применить другой пользователь
    other = UserFactory()
    response = client_for(api_client, other).post(
        "/api/v1/me/email/confirm/", {"email": "shared@example.ru", "code": code}, format="json"
    )
    # then
    assert response.json()["error"]["code"] == "code_invalid"
    other.refresh_from_db()
    assert other.email != "shared@example.ru"


def test_email_already_owned_by_another_account_is_reported_only_after_code(user_client):
    UserFactory(email="busy@example.ru")
    assert user_client.post("/api/v1/me/email/", {"email": "busy@example.ru"}, format="json").status_code == 202
    code = last_email_code("busy@example.ru")
    response = user_client.post("/api/v1/me/email/confirm/", {"email": "busy@example.ru", "code": code}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "email_taken"


def test_phone_change_flow_and_login_code_cannot_change_phone(user_client, user, sms_outbox, api_client):
    # given: код входа для нового номера (другое назначение)
    api_client.post(
        "/api/v1/auth/phone/request-code/", {"phone": "+79169990000"}, format="json", REMOTE_ADDR="10.3.0.1"
    )
    login_code = last_sms_code(sms_outbox, "+79169990000")
    wrong_purpose = user_client.post(
        "/api/v1/me/phone/confirm/", {"phone": "+79169990000", "code": login_code}, format="json"
    )
    assert wrong_purpose.json()["error"]["code"] == "code_invalid"
    # when: правильный сценарий смены телефона (после паузы на повторную отправку)
    from django.core.cache import cache

    cache.delete("code-cooldown:+79169990000")
    assert user_client.post("/api/v1/me/phone/", {"phone": "8 916 999 00 00"}, format="json").status_code == 202
    code = last_sms_code(sms_outbox, "+79169990000")
    response = user_client.post("/api/v1/me/phone/confirm/", {"phone": "+79169990000", "code": code}, format="json")
    # then
    assert response.status_code == 200
    user.refresh_from_db()
    assert str(user.phone) == "+79169990000"


def test_phone_owned_by_another_account_cannot_be_taken(user_client, sms_outbox):
    UserFactory(phone="+79168887766", phone_verified=True)
    user_client.post("/api/v1/me/phone/", {"phone": "+79168887766"}, format="json")
    code = last_sms_code(sms_outbox, "+79168887766")
    response = user_client.post("/api/v1/me/phone/confirm/", {"phone": "+79168887766", "code": code}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "phone_taken"


def test_consents_are_recorded_with_timestamps_and_journal(user_client, user):
    # given: согласий нет
    assert user_client.get("/api/v1/me/consents/").json() == {
        "personal_data": False,
        "personal_data_at": None,
        "marketing": False,
        "marketing_at": None,
    }
    # when: дать оба, затем отозвать рассылки
    user_client.patch("/api/v1/me/consents/", {"personal_data": True, "marketing": True}, format="json")
    response = user_client.patch("/api/v1/me/consents/", {"marketing": False}, format="json", REMOTE_ADDR="10.3.1.1")
    # then
    data = response.json()
    assert data["personal_data"] is True and data["personal_data_at"] is not None
    assert data["marketing"] is False and data["marketing_at"] is None
    journal = list(ConsentEvent.objects.filter(user=user).order_by("id").values_list("kind", "granted"))
    assert journal == [("personal_data", True), ("marketing", True), ("marketing", False)]
    assert ConsentEvent.objects.filter(user=user).order_by("id").last().ip_address == "10.3.1.1"


def test_repeating_same_consent_does_not_move_timestamp(user_client, user):
    first = user_client.patch("/api/v1/me/consents/", {"personal_data": True}, format="json").json()
    second = user_client.patch("/api/v1/me/consents/", {"personal_data": True}, format="json").json()
    assert first["personal_data_at"] == second["personal_data_at"]
    assert ConsentEvent.objects.filter(user=user).count() == 1


def test_account_deletion_anonymises_personal_data_and_revokes_tokens(api_client, user):
    # given: адрес, согласие, выданный refresh
    Address.objects.create(user=user, city="Москва", street="Тверская", house="1", is_default=True)
    refresh = str(RefreshToken.for_user(user))
    client = client_for(api_client, user)
    client.patch("/api/v1/me/consents/", {"personal_data": True, "marketing": True}, format="json")
    # when
    response = client.post("/api/v1/me/delete/", {"password": "Secret-Passw0rd!"}, format="json")
    # then: строка осталась (ради заказов), но обезличена и не может войти
    assert response.status_code == 204
    deleted = User.objects.get(pk=user.pk)
    assert deleted.email == "" and deleted.phone is None
    assert deleted.first_name == deleted.last_name == ""
    assert deleted.is_active is False and deleted.deleted_at is not None
    assert deleted.has_usable_password() is False
    assert deleted.personal_data_consent_at is None and deleted.marketing_consent_at is None
    assert not Address.objects.filter(user_id=user.pk).exists()
    assert client.get("/api/v1/me/").status_code == 401
    refreshed = api_client.post("/api/v1/auth/token/refresh/", {"refresh": refresh}, format="json")
    assert refreshed.status_code == 401
    # и e-mail с телефоном свободны для новой регистрации
    api_client.credentials()
    assert (
        api_client.post("/api/v1/auth/phone/request-code/", {"phone": "+79161234567"}, format="json").status_code == 202
    )


def test_account_deletion_requires_current_password_when_set(user_client, user):
    response = user_client.post("/api/v1/me/delete/", {"password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "wrong_password"
    assert User.objects.get(pk=user.pk).is_active is True


def test_emails_never_contain_plain_password(api_client):
    api_client.post(
        "/api/v1/auth/email/register/", {"email": "p@example.ru", "password": "Kalina-Malina-2024"}, format="json"
    )
    assert all("Kalina-Malina-2024" not in message.body for message in mail.outbox)
