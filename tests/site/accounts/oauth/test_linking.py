"""Привязка из личного кабинета, список, отвязка и правило «последнего способа входа»."""

import threading
import time

import pytest
from django.db import connection

from accounts.oauth.models import SocialAccount
from accounts.oauth.services import social_account_unlink
from tests.factories.accounts import UserFactory
from tests.site.accounts.conftest import client_for
from tests.site.accounts.oauth.conftest import VK_CALLBACK, telegram_fields

pytestmark = pytest.mark.django_db


def _link_start(client, provider="vk"):
    url = f"/api/v1/me/social-accounts/{provider}/start/"
    response = client.post(url, {"redirect_uri": VK_CALLBACK}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_logged_in_user_links_vk_from_me(user_client, user, fake_vk):
    started = _link_start(user_client)
    returned = fake_vk.authorize(started["authorize_url"])

    response = user_client.post("/api/v1/me/social-accounts/vk/complete/", returned, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["provider"] == "vk"
    assert SocialAccount.objects.get(provider="vk").user == user


def test_link_state_cannot_be_completed_as_a_login(api_client, user_client, fake_vk):
    started = _link_start(user_client)
    returned = fake_vk.authorize(started["authorize_url"])
    api_client.credentials()  # анонимная вкладка с тем же адресом возврата

    response = api_client.post("/api/v1/auth/oauth/vk/complete/", returned, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "oauth_state_invalid"
    assert fake_vk.token_requests == []


def test_link_state_of_one_user_is_refused_for_another(api_client, user, fake_vk):
    started = _link_start(client_for(api_client, user))
    returned = fake_vk.authorize(started["authorize_url"])
    intruder = UserFactory(email="intruder@example.ru", email_verified=True)

    response = client_for(api_client, intruder).post("/api/v1/me/social-accounts/vk/complete/", returned, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "oauth_state_invalid"
    assert not SocialAccount.objects.exists()


def test_login_state_cannot_be_used_to_link(api_client, user_client, fake_vk):
    started = api_client.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json").json()
    returned = fake_vk.authorize(started["authorize_url"])

    response = user_client.post("/api/v1/me/social-accounts/vk/complete/", returned, format="json")

    assert response.json()["error"]["code"] == "oauth_state_invalid"


def test_telegram_account_of_someone_else_cannot_be_linked(api_client, user, telegram):
    other = UserFactory(email="other@example.ru", email_verified=True)
    url = "/api/v1/me/social-accounts/telegram/"
    now = int(time.time())
    first = telegram_fields(auth_date=now - 10)
    assert client_for(api_client, other).post(url, first, format="json").status_code == 201
    fresh = telegram_fields(auth_date=now - 20)  # тот же id, другие данные виджета (не повтор)

    response = client_for(api_client, user).post(url, fresh, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "social_account_taken"


def test_second_account_of_same_provider_is_refused(user_client, telegram):
    assert user_client.post("/api/v1/me/social-accounts/telegram/", telegram_fields(), format="json").status_code == 201

    response = user_client.post("/api/v1/me/social-accounts/telegram/", telegram_fields(id=4004), format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "social_account_provider_linked"


def test_social_account_list_uses_constant_queries(user_client, user, django_assert_max_num_queries):
    for provider, uid in (("vk", "1"), ("yandex", "2"), ("telegram", "3")):
        SocialAccount.objects.create(user=user, provider=provider, uid=uid, display_name=uid)

    with django_assert_max_num_queries(3):
        response = user_client.get("/api/v1/me/social-accounts/")

    assert [item["provider"] for item in response.json()] == ["telegram", "vk", "yandex"]


def test_social_accounts_require_login(api_client):
    assert api_client.get("/api/v1/me/social-accounts/").status_code == 401


def test_unlinking_the_last_login_method_is_refused(api_client):
    # given — аккаунт создан входом через Telegram: ни пароля, ни телефона
    user = UserFactory(email="")
    user.set_unusable_password()
    user.save()
    account = SocialAccount.objects.create(user=user, provider="telegram", uid="1")

    response = client_for(api_client, user).delete(f"/api/v1/me/social-accounts/{account.pk}/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "social_account_last_login"
    assert SocialAccount.objects.filter(pk=account.pk).exists()


def test_unlink_is_allowed_when_sms_login_remains(api_client):
    user = UserFactory(email="", phone="+79165550000", phone_verified=True)
    user.set_unusable_password()
    user.save()
    account = SocialAccount.objects.create(user=user, provider="vk", uid="1")

    response = client_for(api_client, user).delete(f"/api/v1/me/social-accounts/{account.pk}/")

    assert response.status_code == 204
    assert not SocialAccount.objects.exists()


def test_unverified_email_with_password_does_not_count_as_a_way_in(api_client):
    user = UserFactory(email="ivan@example.ru", email_verified=False)
    account = SocialAccount.objects.create(user=user, provider="vk", uid="1")

    response = client_for(api_client, user).delete(f"/api/v1/me/social-accounts/{account.pk}/")

    assert response.status_code == 409


def test_someone_elses_link_is_not_found(api_client, user):
    other = UserFactory(email="other@example.ru", email_verified=True)
    account = SocialAccount.objects.create(user=other, provider="vk", uid="1")

    response = client_for(api_client, user).delete(f"/api/v1/me/social-accounts/{account.pk}/")

    assert response.status_code == 404
    assert SocialAccount.objects.filter(pk=account.pk).exists()


@pytest.mark.postgres_only(reason="две настоящие параллельные транзакции с блокировкой строки пользователя")
@pytest.mark.django_db(transaction=True)
def test_parallel_unlinks_never_remove_every_login_method():
    # given — у пользователя только две соцсети
    user = UserFactory(email="")
    user.set_unusable_password()
    user.save()
    accounts = [
        SocialAccount.objects.create(user=user, provider="vk", uid="1"),
        SocialAccount.objects.create(user=user, provider="telegram", uid="2"),
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def worker(account):
        barrier.wait()
        try:
            social_account_unlink(user=user, account_id=account.pk)
            outcomes.append("unlinked")
        except Exception as error:  # noqa: BLE001 — собираем исход каждого потока
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(account,)) for account in accounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then — одна отвязка прошла, вторая отказала: вход остался
    assert sorted(outcomes) == ["SocialAccountLastLogin", "unlinked"]
    assert SocialAccount.objects.filter(user=user).count() == 1


def test_deleting_the_account_drops_its_social_links_and_frees_the_login(api_client, telegram):
    # given — аккаунт создан через Telegram, потом удалён по просьбе пользователя
    body = api_client.post("/api/v1/auth/telegram/complete/", telegram_fields(), format="json").json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert api_client.post("/api/v1/me/delete/", {"password": ""}, format="json").status_code == 204
    assert not SocialAccount.objects.exists()
    api_client.credentials()

    # when — тот же человек снова входит через Telegram (новые данные виджета)
    again = api_client.post("/api/v1/auth/telegram/complete/", telegram_fields(first_name="Иван Петров"), format="json")

    # then — новый аккаунт, а не «аккаунт заблокирован»
    assert again.status_code == 200, again.content
    assert again.json()["created"] is True
    assert again.json()["user"]["id"] != body["user"]["id"]
