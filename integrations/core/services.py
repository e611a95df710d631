"""Записи ядра интеграций: создание и проверка подключения, ротация ключа шифрования."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from integrations.core import crypto
from integrations.core.http import HttpError, connection_client
from integrations.core.models import Connection
from integrations.core.registry import CheckResult

logger = logging.getLogger(__name__)


def http_error_message(error):
    """Перевести ошибку HTTP в понятное человеку сообщение (без секретов)."""
    if error.reason == "timeout":
        return _("Система не ответила вовремя: проверьте адрес и доступность сервера.")
    if error.reason == "network":
        return _("Нет соединения с системой: неверный адрес или нет сети.")
    if error.status in (401,):
        return _("Неверный логин, пароль или токен (ответ 401).")
    if error.status == 403:
        return _("Нет прав: у учётной записи недостаточно доступа (ответ 403).")
    if error.status == 404:
        return _("Неверный адрес API: такой страницы нет (ответ 404).")
    if error.status == 429:
        return _("Система просит подождать: слишком много запросов (ответ 429).")
    return _("Система ответила ошибкой %(status)s.") % {"status": error.status}


def connection_check(*, connection):
    """Проверить подключение настоящим запросом и вернуть CheckResult с понятным сообщением.

    Ошибки не поднимает: любая неудача — ``CheckResult(ok=False, ...)``; секреты в сообщение не попадают.
    """
    try:
        system = connection.system_instance()
        client = connection_client(connection, retries=0)
    except LookupError:
        return CheckResult(False, _("Система «%(code)s» не установлена.") % {"code": connection.system})
    except crypto.SecretKeyMissing as error:
        return CheckResult(False, str(error))
    try:
        result = system.check(connection=connection, client=client)
    except HttpError as error:
        logger.info("Проверка %s: %s", connection.code, error)
        return CheckResult(False, http_error_message(error))
    except Exception as error:
        logger.exception("Проверка %s: ошибка коннектора", connection.code)
        return CheckResult(False, client.mask(_("Ошибка проверки: %(error)s") % {"error": error}))
    return CheckResult(result.ok, client.mask(result.message))


@transaction.atomic
def connection_create(*, system, code, base_url="", options=None, secrets=None, enabled=True):
    """Создать подключение: проверить настройки по схеме системы и зашифровать секреты.

    Raises:
        ValidationError: неизвестная система, код занят или настройки не по схеме.
        SecretKeyMissing: есть секреты, а ключа шифрования нет.
    """
    connection = Connection(system=system, code=code, base_url=base_url or "", options=options or {}, enabled=enabled)
    connection.full_clean()
    if secrets:
        connection.secrets_update(secrets)
    connection.save()
    return connection


def secrets_rotate_all():
    """Перешифровать секреты всех подключений первым ключом INTEGRATIONS_SECRET_KEY.

    Returns:
        int — сколько подключений перешифровано.
    """
    count = 0
    with transaction.atomic():
        for connection in Connection.objects.select_for_update().exclude(secrets_encrypted=""):
            connection.secrets_encrypted = crypto.secrets_rotate(connection.secrets_encrypted)
            connection.save(update_fields=["secrets_encrypted", "updated_at"])
            count += 1
    return count


def secrets_key_check():
    """Проверить, что ключ шифрования есть и подходит, если хоть у одного подключения есть секреты.

    Raises:
        SecretKeyMissing, SecretUndecryptable.
    """
    token = Connection.objects.exclude(secrets_encrypted="").values_list("secrets_encrypted", flat=True).first()
    if token:
        crypto.secrets_decrypt(token)
