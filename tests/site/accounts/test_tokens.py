"""JWT: своя подпись, ротация refresh с чёрным списком, выход, проверка."""

import jwt
import pytest
from django.conf import settings

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(api_client):
    UserFactory(email="ivan@example.ru", email_verified=True)
    response = api_client.post(
        "/api/v1/auth/login/", {"login": "ivan@example.ru", "password": "Secret-Passw0rd!"}, format="json"
    )
    assert response.status_code == 200
    return response.json()


def test_tokens_are_signed_with_own_key_and_fixed_algorithm(pair):
    header = jwt.get_unverified_header(pair["access"])
    assert header["alg"] == "HS256"
    jwt.decode(pair["access"], settings.SIMPLE_JWT["SIGNING_KEY"], algorithms=["HS256"])
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(pair["access"], settings.SECRET_KEY, algorithms=["HS256"])


def test_token_with_none_algorithm_is_rejected(api_client, pair):
    claims = jwt.decode(pair["access"], options={"verify_signature": False})
    forged = jwt.encode(claims, key=None, algorithm="none")
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {forged}")
    assert response.status_code == 401


def test_access_token_lifetime_is_fifteen_minutes(pair):
    claims = jwt.decode(pair["access"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 15 * 60


def test_refresh_rotates_and_old_refresh_is_blacklisted(api_client, pair):
    # when
    rotated = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    # then
    assert rotated.status_code == 200
    assert set(rotated.json()) == {"access", "refresh"}
    reused = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "token_invalid"


def test_logout_blacklists_refresh_token(api_client, pair):
    response = api_client.post("/api/v1/auth/logout/", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 204
    after = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert after.json()["error"]["code"] == "token_invalid"
    verify = api_client.post("/api/v1/auth/token/verify/", {"token": pair["refresh"]}, format="json")
    assert verify.status_code == 401


def test_logout_with_garbage_token_is_a_clear_error(api_client):
    response = api_client.post("/api/v1/auth/logout/", {"refresh": "not-a-token"}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_invalid"


def test_verify_accepts_valid_token_and_rejects_tampered_one(api_client, pair):
    assert api_client.post("/api/v1/auth/token/verify/", {"token": pair["access"]}, format="json").status_code == 200
    tampered = pair["access"][:-2] + ("AA" if not pair["access"].endswith("AA") else "BB")
    response = api_client.post("/api/v1/auth/token/verify/", {"token": tampered}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_invalid"


def test_public_endpoints_ignore_an_expired_bearer_header(api_client, pair):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer broken")
    response = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 200


def test_username_password_token_endpoint_is_gone(api_client):
    # Вход только через /auth/login/ с лимитами; прежний /auth/token/ без них не должен существовать.
    response = api_client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
    assert response.status_code == 404
