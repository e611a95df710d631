"""Подделанный, чужой или не тот JWT не открывает ни одного защищённого маршрута.

Проверки, которые выдержали внешнюю проверку, закреплены здесь как регрессионные: подпись
SECRET_KEY вместо JWT_SIGNING_KEY, alg=none и чужие алгоритмы, подмена user_id, refresh вместо
access, истёкший токен, токен удалённого или заблокированного пользователя.
"""

import time

import jwt
import pytest
from django.conf import settings

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PROTECTED = ["/api/v1/me/", "/api/v1/orders/", "/api/v1/me/addresses/"]


@pytest.fixture
def victim():
    return UserFactory(email="victim@example.ru", email_verified=True)


@pytest.fixture
def attacker_pair(api_client):
    UserFactory(email="attacker@example.ru", email_verified=True)
    response = api_client.post(
        "/api/v1/auth/login/", {"login": "attacker@example.ru", "password": "Secret-Passw0rd!"}, format="json"
    )
    assert response.status_code == 200
    return response.json()


def _claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def _assert_refused(api_client, token):
    for path in PROTECTED:
        response = api_client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401, (path, response.status_code)
        assert response["Content-Type"].startswith("application/json")


def test_token_signed_with_secret_key_is_refused(api_client, attacker_pair, victim):
    claims = {**_claims(attacker_pair["access"]), "user_id": str(victim.pk)}
    _assert_refused(api_client, jwt.encode(claims, settings.SECRET_KEY, algorithm="HS256"))


@pytest.mark.parametrize("algorithm", ["HS384", "HS512"])
def test_other_hmac_algorithm_with_the_right_key_is_refused(api_client, attacker_pair, algorithm):
    forged = jwt.encode(_claims(attacker_pair["access"]), settings.SIMPLE_JWT["SIGNING_KEY"], algorithm=algorithm)
    _assert_refused(api_client, forged)


def test_swapped_user_id_with_the_original_signature_is_refused(api_client, attacker_pair, victim):
    header, _payload, signature = attacker_pair["access"].split(".")
    forged_payload = jwt.encode(
        {**_claims(attacker_pair["access"]), "user_id": str(victim.pk)}, "x", algorithm="HS256"
    ).split(".")[1]
    _assert_refused(api_client, f"{header}.{forged_payload}.{signature}")


def test_refresh_token_is_not_an_access_token(api_client, attacker_pair):
    _assert_refused(api_client, attacker_pair["refresh"])


def test_expired_access_token_is_refused(api_client, attacker_pair):
    claims = {**_claims(attacker_pair["access"]), "exp": int(time.time()) - 1}
    _assert_refused(api_client, jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256"))


def test_token_of_a_deactivated_user_is_refused(api_client, attacker_pair):
    from accounts.models import User

    User.objects.filter(email="attacker@example.ru").update(is_active=False)
    _assert_refused(api_client, attacker_pair["access"])


def test_token_of_a_deleted_user_is_refused(api_client, attacker_pair):
    from accounts.models import User

    User.objects.filter(email="attacker@example.ru").delete()
    _assert_refused(api_client, attacker_pair["access"])
