"""Секреты подключений: шифрование, ротация ключа, понятная ошибка без ключа."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from integrations.core.crypto import SecretKeyMissing, SecretUndecryptable
from integrations.core.models import Connection
from tests.factories.integrations import ConnectionFactory

pytestmark = pytest.mark.django_db


def test_secrets_are_stored_encrypted_and_read_back():
    connection = ConnectionFactory(secrets={"signing_secret": "s3cr3t-value"})

    stored = Connection.objects.get(pk=connection.pk)

    assert "s3cr3t-value" not in stored.secrets_encrypted
    assert stored.secrets_get() == {"signing_secret": "s3cr3t-value"}


def test_empty_secret_keeps_previous_value_and_none_erases():
    connection = ConnectionFactory(secrets={"signing_secret": "first", "token": "t-1"})

    connection.secrets_update({"signing_secret": "", "token": None})

    assert connection.secrets_get() == {"signing_secret": "first"}


def test_rotate_key_reencrypts_with_the_new_first_key(settings):
    # given: секреты зашифрованы старым ключом
    old_key = settings.INTEGRATIONS_SECRET_KEY
    connection = ConnectionFactory(secrets={"signing_secret": "rotate-me"})
    new_key = Fernet.generate_key().decode()
    settings.INTEGRATIONS_SECRET_KEY = f"{new_key},{old_key}"

    # when
    call_command("integrations", "rotate-key")

    # then: старый ключ больше не нужен
    settings.INTEGRATIONS_SECRET_KEY = new_key
    assert Connection.objects.get(pk=connection.pk).secrets_get() == {"signing_secret": "rotate-me"}


def test_missing_key_with_existing_secrets_is_a_clear_error(settings):
    connection = ConnectionFactory(secrets={"signing_secret": "x-secret"})
    settings.INTEGRATIONS_SECRET_KEY = ""

    with pytest.raises(SecretKeyMissing, match="INTEGRATIONS_SECRET_KEY"):
        Connection.objects.get(pk=connection.pk).secrets_get()


def test_secrets_under_a_removed_key_are_reported_not_garbled(settings):
    connection = ConnectionFactory(secrets={"signing_secret": "x-secret"})
    settings.INTEGRATIONS_SECRET_KEY = Fernet.generate_key().decode()

    with pytest.raises(SecretUndecryptable, match="rotate-key"):
        Connection.objects.get(pk=connection.pk).secrets_get()


def test_options_are_validated_by_the_system_schema():
    from django.core.exceptions import ValidationError

    connection = Connection(system="webhook", code="bad-options", options={"rate_limit": "fast"})

    with pytest.raises(ValidationError) as error:
        connection.full_clean()
    assert "options" in error.value.message_dict


def test_unknown_system_is_a_validation_error():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        Connection(system="nope", code="nope").full_clean()
    assert "system" in error.value.message_dict
