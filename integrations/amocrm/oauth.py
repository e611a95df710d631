"""Токены OAuth 2.0 amoCRM: обмен кода, обновление до истечения и после 401, отзыв доступа.

Токены хранятся в зашифрованных секретах подключения (ядро): ``access_token``, ``refresh_token``,
``expires_at`` (unix-время). Отозванный доступ стирает токены: подключение ждёт нового кода, а
причина записывается в журнал синхронизаций (её видно на панели) — не в секреты, которые
маскируются во всех сообщениях.
Токен обновления одноразовый: два воркера, обновившие его одновременно, сломали бы подключение
(второй получил бы отказ). Поэтому обновление идёт под блокировкой строки подключения
(``SELECT ... FOR UPDATE`` на PostgreSQL) и блокировкой процесса (встроенный вариант на SQLite);
кто вошёл вторым, видит уже новый токен и не обновляет его снова.
"""

import logging
import threading
import time
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.core.http import HttpError
from integrations.core.models import Connection, SyncDirection, SyncRun, SyncState

logger = logging.getLogger(__name__)

TOKEN_PATH = "/oauth2/access_token"  # noqa: S105 — адрес, не пароль
# Ответы сервера авторизации, после которых повтор бесполезен: код или токен отклонён.
GRANT_REJECTED_STATUSES = frozenset({400, 401, 403})

_process_locks = defaultdict(threading.Lock)
_process_locks_guard = threading.Lock()


class AuthBroken(Exception):
    """Доступ к amoCRM потерян (токен отозван, код просрочен): нужен новый код авторизации."""


def _process_lock(pk):
    with _process_locks_guard:
        return _process_locks[pk]


def _fresh(secrets, *, margin):
    return bool(secrets.get("access_token")) and float(secrets.get("expires_at") or 0) - margin > time.time()


def token_current(*, connection, client):
    """Вернуть действующий токен доступа, при необходимости обменяв код или обновив токен.

    Raises:
        AuthBroken: доступа нет, пока администратор не вставит новый код.
        HttpError: сервер авторизации недоступен (повторится позже).
    """
    secrets = connection.secrets_get() if connection.secrets_encrypted else {}
    if secrets.get("long_lived_token"):
        return secrets["long_lived_token"]
    if not secrets.get("code") and _fresh(secrets, margin=settings.AMOCRM_TOKEN_REFRESH_MARGIN_SECONDS):
        return secrets["access_token"]
    return token_refresh(connection=connection, client=client, stale=secrets.get("access_token", ""))


def token_refresh(*, connection, client, stale):
    """Обновить токен доступа (или обменять новый код) ровно одним воркером.

    Args:
        stale: токен, который вызывающий считает устаревшим (истёк или получил 401). Если
            в базе уже другой свежий токен — его обновил соседний воркер, он и возвращается.

    Returns:
        str — токен доступа. Секреты ``connection`` обновляются на месте.

    Raises:
        AuthBroken, HttpError — как у :func:`token_current`.
    """
    broken = None
    with _process_lock(connection.pk), transaction.atomic():
        locked = Connection.objects.select_for_update().get(pk=connection.pk)
        secrets = locked.secrets_get() if locked.secrets_encrypted else {}
        connection.secrets_encrypted = locked.secrets_encrypted
        if secrets.get("long_lived_token"):
            return secrets["long_lived_token"]
        code = secrets.get("code")
        if not code and secrets.get("access_token") != stale and _fresh(secrets, margin=0):
            return secrets["access_token"]
        options = locked.options or {}
        document = {
            "client_id": options.get("client_id", ""),
            "client_secret": secrets.get("client_secret", ""),
            "redirect_uri": options.get("redirect_uri", ""),
        }
        if code:
            document.update(grant_type="authorization_code", code=code)
        elif secrets.get("refresh_token"):
            document.update(grant_type="refresh_token", refresh_token=secrets["refresh_token"])
        else:
            raise AuthBroken(
                _(
                    "Нет доступа к amoCRM: вставьте код авторизации из настроек интеграции "
                    "(или долгосрочный токен) в подключение."
                )
            )
        try:
            response = client.post(TOKEN_PATH, json=document)
        except HttpError as error:
            if error.status not in GRANT_REJECTED_STATUSES:
                raise
            broken = _grant_rejected_message(code=bool(code), status=error.status)
            locked.secrets_update({"code": None, "access_token": None, "refresh_token": None, "expires_at": None})
            locked.save(update_fields=["secrets_encrypted", "updated_at"])
            connection.secrets_encrypted = locked.secrets_encrypted
            _broken_notice(connection=locked, message=broken)
        else:
            tokens = response.json()
            locked.secrets_update(
                {
                    "access_token": tokens["access_token"],
                    "refresh_token": tokens.get("refresh_token") or None,
                    "expires_at": str(time.time() + float(tokens.get("expires_in") or 86400)),
                    "code": None,
                }
            )
            locked.save(update_fields=["secrets_encrypted", "updated_at"])
            connection.secrets_encrypted = locked.secrets_encrypted
            logger.info("amoCRM %s: токен доступа %s", locked.code, "получен по коду" if code else "обновлён")
            if code:
                # Новый код — доступ восстановлен: успешная запись сменяет «прервана» на панели.
                SyncRun.objects.create(
                    connection=locked, direction=SyncDirection.PUSH, state=SyncState.OK, finished_at=timezone.now()
                )
            return tokens["access_token"]
    raise AuthBroken(broken)


def _grant_rejected_message(*, code, status):
    if code:
        return _(
            "amoCRM отклонил код авторизации (ответ %(status)s): код действует около 20 минут и только один раз. "
            "Скопируйте новый код в настройках интеграции amoCRM и вставьте его в подключение."
        ) % {"status": status}
    return _(
        "amoCRM отозвал доступ: токен обновления недействителен (ответ %(status)s). Интеграцию отключили "
        "или переустановили в amoCRM. Скопируйте новый код авторизации в настройках интеграции и вставьте его "
        "в подключение; недоставленные события отправятся после «Повторить недоставленные»."
    ) % {"status": status}


def _broken_notice(*, connection, message):
    """Сообщить администратору: запись «прервана» в журнале синхронизаций (видна на панели) и ошибка в журнале."""
    now = timezone.now()
    SyncRun.objects.create(
        connection=connection,
        direction=SyncDirection.PUSH,
        state=SyncState.FAILED,
        finished_at=now,
        errors=[{"object": "OAuth", "message": message}],
    )
    logger.error("amoCRM %s: %s", connection.code, message)
