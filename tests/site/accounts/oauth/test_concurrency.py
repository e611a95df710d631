"""Гонки через настоящий API: один ответ провайдера, отправленный параллельно несколько раз."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from accounts.oauth.models import SocialAccount
from tests.site.accounts.oauth.conftest import VK_CALLBACK


@pytest.mark.django_db(transaction=True)
def test_parallel_completes_of_one_callback_create_one_account_and_one_exchange(fake_vk):
    # given — витрина (или злоумышленник) шлёт один и тот же ответ VK четырьмя запросами сразу
    starter = APIClient()
    started = starter.post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json").json()
    returned = fake_vk.authorize(started["authorize_url"])
    barrier = threading.Barrier(4)
    statuses = []
    lock = threading.Lock()

    def worker():
        client = APIClient()
        barrier.wait()
        try:
            response = client.post("/api/v1/auth/oauth/vk/complete/", returned, format="json")
            with lock:
                statuses.append(
                    (response.status_code, response.json()["error"]["code"] if response.status_code != 200 else "ok")
                )
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then — прошёл ровно один, к провайдеру ушёл один обмен кода, аккаунт один
    assert sorted(statuses) == [
        (200, "ok"),
        (400, "oauth_state_invalid"),
        (400, "oauth_state_invalid"),
        (400, "oauth_state_invalid"),
    ]
    assert len(fake_vk.token_requests) == 1
    assert User.objects.count() == 1
    assert SocialAccount.objects.count() == 1


@pytest.mark.postgres_only(
    reason="второй INSERT ждёт на уникальном индексе коммита первого — так ведёт себя PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_parallel_first_logins_of_one_vk_user_end_in_one_account(fake_vk):
    # given — два независимых входа одного человека (две вкладки), завершаются одновременно
    callbacks = []
    for _tab in range(2):
        started = APIClient().post("/api/v1/auth/oauth/vk/start/", {"redirect_uri": VK_CALLBACK}, format="json")
        callbacks.append(fake_vk.authorize(started.json()["authorize_url"]))
    barrier = threading.Barrier(2)
    users = []

    def worker(returned):
        barrier.wait()
        try:
            response = APIClient().post("/api/v1/auth/oauth/vk/complete/", returned, format="json")
            users.append((response.status_code, response.json().get("user", {}).get("id")))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(returned,)) for returned in callbacks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then — оба вошли в одного и того же пользователя, лишнего аккаунта нет
    assert [status for status, _user in users] == [200, 200]
    assert len({user_id for _status, user_id in users}) == 1
    assert User.objects.count() == 1
    assert SocialAccount.objects.count() == 1
