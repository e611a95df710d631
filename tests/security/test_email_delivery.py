"""Недоступный почтовый сервер — 503 email_delivery_failed в формате ошибок API, а не 500.

Нашёл `make fuzz` (schemathesis на production-настройках): регистрация, повтор кода и смена
e-mail отвечали 500, когда SMTP-сервер не принимал соединение. Почта здесь настоящая: Django
шлёт по SMTP на закрытый порт 127.0.0.1 — граница, которой мы не владеем, без подмен.
"""

import re
import socket

import pytest
from django.core import mail
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_down(settings):
    """SMTP на порт, который никто не слушает."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    return settings


def _assert_503(response):
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "email_delivery_failed"
    assert response.json()["error"]["message"]


def test_registration_with_mail_down_is_503_and_a_resend_later_delivers_a_working_code(api_client, smtp_down):
    # when: почта лежит
    response = api_client.post(
        "/api/v1/auth/email/register/",
        {"email": "anna@example.ru", "password": "Kalina-Malina-2024", "first_name": "Анна"},
        format="json",
    )
    # then: понятный 503, аккаунт создан неподтверждённым
    _assert_503(response)
    assert User.objects.get(email="anna@example.ru").email_verified is False

    # when: почта вернулась, покупатель просит код ещё раз (после паузы между кодами)
    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    smtp_down.ACCOUNTS_CODE_RESEND_SECONDS = 0
    resent = api_client.post("/api/v1/auth/email/resend-code/", {"email": "anna@example.ru"}, format="json")
    assert resent.status_code == 202
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    confirmed = api_client.post(
        "/api/v1/auth/email/confirm/", {"email": "anna@example.ru", "code": code}, format="json"
    )
    assert confirmed.status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "authenticated"),
    [
        ("/api/v1/auth/email/resend-code/", {"email": "unverified@example.ru"}, False),
        ("/api/v1/auth/password/reset/request/", {"login": "unverified@example.ru"}, False),
        ("/api/v1/me/email/", {"email": "new-address@example.ru"}, True),
    ],
)
def test_every_email_code_endpoint_answers_503_when_mail_is_down(api_client, smtp_down, path, body, authenticated):
    user = UserFactory(email="unverified@example.ru", email_verified=False)
    if authenticated:
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    _assert_503(api_client.post(path, body, format="json"))
