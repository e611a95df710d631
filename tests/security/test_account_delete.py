"""Удаление аккаунта без пароля: одного access-токена мало, нужен свежий код на его телефон.

Аккаунт, в который входят только по SMS, пароля не имеет; раньше ``POST /me/delete/`` удалял его
по одному токену — украденный токен стирал аккаунт и все его данные без следа.
"""

import pytest

from accounts.models import User
from tests.factories.accounts import UserFactory
from tests.site.accounts.conftest import client_for, last_sms_code

pytestmark = pytest.mark.django_db


def _phone_only_client(api_client):
    user = UserFactory(username="sms-only", email="", phone="+79165550011", phone_verified=True)
    user.set_unusable_password()
    user.save()
    return user, client_for(api_client, user)


def test_phone_only_account_is_not_deleted_by_a_bare_token(api_client, sms_outbox):
    # given: аккаунт без пароля (вход только по SMS); у злоумышленника — только его access-токен
    user, client = _phone_only_client(api_client)
    # when
    response = client.post("/api/v1/me/delete/", {}, format="json")
    # then
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "account_delete_code_required"
    assert User.objects.get(pk=user.pk).is_active is True


def test_phone_only_account_is_deleted_with_a_fresh_sms_code(api_client, sms_outbox):
    # given
    user, client = _phone_only_client(api_client)
    sent = client.post("/api/v1/me/delete/code/", format="json")
    assert sent.status_code == 202
    assert sent.json()["channel"] == "phone"
    code = last_sms_code(sms_outbox, "+79165550011")
    # when: неверный код не удаляет, верный — удаляет
    wrong = client.post("/api/v1/me/delete/", {"code": "000000" if code != "000000" else "111111"}, format="json")
    response = client.post("/api/v1/me/delete/", {"code": code}, format="json")
    # then
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "code_invalid"
    assert response.status_code == 204
    assert User.objects.get(pk=user.pk).is_active is False


def test_login_code_does_not_confirm_account_deletion(api_client, sms_outbox):
    # given: код входа на тот же номер (назначение другое)
    user, client = _phone_only_client(api_client)
    api_client.post("/api/v1/auth/phone/request-code/", {"phone": "+79165550011"}, format="json")
    login_code = last_sms_code(sms_outbox, "+79165550011")
    # when
    response = client.post("/api/v1/me/delete/", {"code": login_code}, format="json")
    # then
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "code_invalid"
    assert User.objects.get(pk=user.pk).is_active is True


def test_account_without_password_or_contact_gets_a_clear_error(api_client):
    user = UserFactory(username="nocontact", email="", phone=None)
    user.set_unusable_password()
    user.save()
    client = client_for(api_client, user)

    response = client.post("/api/v1/me/delete/code/", format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "account_delete_no_contact"


def test_account_with_only_a_social_login_is_deleted_only_right_after_a_login(api_client):
    from datetime import timedelta

    from django.utils import timezone

    # given: вход только через соцсеть — ни пароля, ни телефона, ни e-mail; вход был вчера
    user = UserFactory(username="social-only", email="", phone=None)
    user.set_unusable_password()
    user.last_login = timezone.now() - timedelta(days=1)
    user.save()
    client = client_for(api_client, user)
    # when: старым токеном — отказ; после свежего входа — удаление
    stale = client.post("/api/v1/me/delete/", {}, format="json")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    fresh = client.post("/api/v1/me/delete/", {}, format="json")
    # then
    assert stale.status_code == 400 and stale.json()["error"]["code"] == "account_delete_login_required"
    assert fresh.status_code == 204
