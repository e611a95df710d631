"""Повтор обменянного refresh-токена отзывает всё семейство этого входа, но не другие входы.

Refresh-токены ротируются: при обмене старый попадает в чёрный список. Раньше повтор
старого токена просто получал 401, а вор, успевший обменять его первым, продолжал жить
на потомках. Теперь повтор означает «токеном пользуются двое» — отзываются все потомки.
"""

import jwt
import pytest
from django.conf import settings

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

REFRESH = "/api/v1/auth/token/refresh/"


def _login(api_client, user):
    response = api_client.post(
        "/api/v1/auth/login/", {"login": user.email, "password": "Secret-Passw0rd!"}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["refresh"]


def _refresh(api_client, token):
    return api_client.post(REFRESH, {"refresh": token}, format="json")


@pytest.fixture
def user():
    return UserFactory(email="family@example.ru", email_verified=True)


def test_reused_refresh_token_revokes_its_whole_family(api_client, user):
    # given: вход и две ротации — у «вора» r1, у владельца уже r3
    r1 = _login(api_client, user)
    r2 = _refresh(api_client, r1).json()["refresh"]
    r3 = _refresh(api_client, r2).json()["refresh"]
    # when: r1 предъявлен повторно
    reuse = _refresh(api_client, r1)
    # then: отказ, и потомок r3 тоже больше не работает
    assert reuse.status_code == 401
    assert reuse.json()["error"]["code"] == "token_invalid"
    assert _refresh(api_client, r3).status_code == 401


def test_reuse_leaves_other_logins_of_the_user_alone(api_client, user):
    # given: два устройства
    phone = _login(api_client, user)
    laptop = _login(api_client, user)
    rotated = _refresh(api_client, phone).json()["refresh"]
    # when: повтор обменянного токена телефона
    _refresh(api_client, phone)
    # then: семейство телефона отозвано, ноутбук продолжает работать
    assert _refresh(api_client, rotated).status_code == 401
    assert _refresh(api_client, laptop).status_code == 200


def test_forged_token_naming_a_family_revokes_nothing(api_client, user):
    # given: настоящий вход; злоумышленник знает jti (например, из журнала) и подделывает токен
    token = _login(api_client, user)
    payload = jwt.decode(token, options={"verify_signature": False})
    forged = jwt.encode({**payload, "jti": "x" * 32}, "not-our-key-" + "0" * 40, algorithm="HS256")
    assert forged != token and settings.SIMPLE_JWT["SIGNING_KEY"] not in forged
    # when
    response = _refresh(api_client, forged)
    # then: подделке отказано, настоящий токен жив
    assert response.status_code == 401
    assert _refresh(api_client, token).status_code == 200
