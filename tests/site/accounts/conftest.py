"""Фикстуры тестов аккаунтов: SMS в память, клиенты с токеном, извлечение кодов."""

import re

import pytest
from django.core import mail

from integrations.sms.backends import locmem
from tests.factories.accounts import UserFactory

CODE_PATTERN = re.compile(r"\b(\d{6})\b")


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Отправлять SMS в список в памяти и очищать его для каждого теста."""
    settings.SMS_BACKEND = "integrations.sms.backends.locmem.LocmemSmsBackend"
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


def last_sms_code(outbox, phone):
    """Код из последнего SMS на номер ``phone``."""
    messages = [message for message in outbox if message.phone == phone]
    assert messages, f"SMS на {phone} не отправлялось"
    return CODE_PATTERN.search(messages[-1].text).group(1)


def last_email_code(email):
    """Код из последнего письма на адрес ``email``."""
    messages = [message for message in mail.outbox if email in message.to]
    assert messages, f"Письмо на {email} не отправлялось"
    return CODE_PATTERN.search(messages[-1].body).group(1)


def wrong_code(code):
    """Другой код той же длины."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def user(db):
    return UserFactory(email="ivan@example.ru", email_verified=True, phone="+79161234567", phone_verified=True)


def client_for(api_client, user):
    """Клиент с access-токеном пользователя."""
    from rest_framework_simplejwt.tokens import RefreshToken

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return api_client


@pytest.fixture
def user_client(api_client, user):
    return client_for(api_client, user)
