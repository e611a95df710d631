"""Чтение с реплик PostgreSQL: маршрутизатор баз и включение чтения с реплики для представлений.

Реплики (DATABASE_REPLICA_URL, через запятую) — псевдонимы ``replica``, ``replica_2``, …
На реплику идут только чтения, которые представление разрешило явно (декоратор
:func:`replica_reads`), и только пока в этом запросе не было записи, чтение не внутри
транзакции и отставание реплики не больше DATABASE_REPLICA_MAX_LAG_SECONDS. Всё остальное —
записи, оформление заказа, вебхуки, админки, задачи Celery — читает и пишет основную базу.

Почему так: реплика отстаёт, и покупатель, только что изменивший корзину, не должен увидеть
её прежней. Поэтому реплика — исключение, которое включают там, где устаревание на секунду
безвредно (каталог, фасеты, поиск, блог, отчёты), а не правило с исключениями.
Миграции — только на основной базе: реплика получает схему потоковой репликацией.
"""

import contextvars
import logging
import random
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

# Состояние текущего запроса: разрешено ли чтение с реплики, какая реплика выбрана,
# была ли запись. contextvars, а не threading.local: то же работает и под ASGI.
_replica_allowed = contextvars.ContextVar("megashop_replica_allowed", default=False)
_replica_alias = contextvars.ContextVar("megashop_replica_alias", default=None)
_wrote = contextvars.ContextVar("megashop_replica_wrote", default=False)

# Отставание реплик: псевдоним → (момент проверки по time.monotonic(), отставание в секундах).
_lag_cache = {}
_lag_lock = threading.Lock()

# Отставание реплики в секундах: 0, если всё полученное уже применено (основная простаивает),
# иначе — сколько прошло с фиксации последней применённой транзакции (неизвестно — «очень много»).
# На основной базе (не реплика) — 0: pg_is_in_recovery() ложно.
LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 "
    "WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9) END"
)


def replica_aliases():
    """Вернуть псевдонимы реплик из настроек (пустой список — реплик нет)."""
    return list(settings.DATABASE_REPLICA_ALIASES)


def replica_reads(view):
    """Разрешить представлению (функции или классу) читать с реплики.

    Используется как декоратор: ``@replica_reads`` над классом APIView, ViewSet или функцией.
    Сам по себе ничего не меняет — решение принимает :class:`ReplicaReadsMiddleware`.
    """
    view.replica_reads = True
    return view


def view_allows_replica(view_func):
    """Разрешило ли представление чтение с реплики (функция, as_view() класса или ViewSet)."""
    for candidate in (view_func, getattr(view_func, "view_class", None), getattr(view_func, "cls", None)):
        if candidate is not None and getattr(candidate, "replica_reads", False):
            return True
    return False


def view_reads_replica(request, view_func):
    """Читать ли с реплики на этом запросе: GET/HEAD, реплики настроены, представление разрешило."""
    return request.method in ("GET", "HEAD") and bool(replica_aliases()) and view_allows_replica(view_func)


@contextmanager
def replica_reads_for(request, view_func):
    """Разрешить чтение с реплики на время вызова view_func, если реплики есть и представление это разрешило.

    То же правило, что у :class:`ReplicaReadsMiddleware`, для путей, которые вызывают
    представление сами (короткий путь каталога).
    """
    if view_reads_replica(request, view_func):
        with replica_reads_allowed():
            yield
    else:
        yield


def _enter():
    aliases = replica_aliases()
    return (
        _replica_allowed.set(bool(aliases)),
        _replica_alias.set(random.choice(aliases) if aliases else None),  # noqa: S311 — балансировка, не секрет
        _wrote.set(False),
    )


def _leave(tokens):
    _wrote.reset(tokens[2])
    _replica_alias.reset(tokens[1])
    _replica_allowed.reset(tokens[0])


@contextmanager
def replica_reads_allowed():
    """Разрешить чтение с реплики внутри блока (запрос представления, отчёт, команда).

    Реплика выбирается одна на весь блок (случайно из настроенных): ответ не собирается
    из снимков разных реплик.
    """
    tokens = _enter()
    try:
        yield
    finally:
        _leave(tokens)


def replica_lag(alias):
    """Вернуть отставание реплики в секундах (кэш на DATABASE_REPLICA_LAG_CHECK_SECONDS).

    Недоступная реплика считается бесконечно отстающей: чтения уходят на основную базу.
    """
    now = time.monotonic()
    ttl = settings.DATABASE_REPLICA_LAG_CHECK_SECONDS
    cached = _lag_cache.get(alias)
    if cached is not None and now - cached[0] < ttl:
        return cached[1]
    with _lag_lock:
        cached = _lag_cache.get(alias)
        if cached is not None and now - cached[0] < ttl:
            return cached[1]
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(LAG_SQL)
                lag = float(cursor.fetchone()[0] or 0)
        except Exception:
            logger.warning("Реплика %s недоступна: чтения идут на основную базу", alias, exc_info=True)
            connections[alias].close()
            lag = float("inf")
        _lag_cache[alias] = (time.monotonic(), lag)
        return lag


def replica_lag_cache_clear():
    """Забыть измеренные отставания (тесты, смена настроек)."""
    _lag_cache.clear()


def _primary_in_transaction():
    connection = connections[DEFAULT_DB_ALIAS]
    return connection.in_atomic_block


def replica_for_read():
    """Вернуть псевдоним реплики для чтения сейчас или None, если читать надо с основной базы."""
    if not _replica_allowed.get() or _wrote.get():
        return None
    alias = _replica_alias.get()
    if alias is None or _primary_in_transaction():
        return None
    if replica_lag(alias) > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
        return None
    return alias


class ReplicaRouter:
    """Маршрутизатор баз: разрешённые чтения — на реплику, остальное — на основную базу."""

    def db_for_read(self, model, **hints):
        return replica_for_read() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # После записи до конца запроса все чтения — с основной базы: своя запись видна сразу.
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Реплика — копия основной базы: объекты с любой из них связываются свободно.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Включить чтение с реплики на время представления, помеченного :func:`replica_reads`.

    Стоит в MIDDLEWARE, только если реплики настроены. Запросы, кроме GET и HEAD, не читают
    с реплики никогда: они пишут, и их чтения должны видеть свои записи.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            tokens = request.__dict__.pop("_replica_tokens", None)
            if tokens is not None:
                _leave(tokens)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_reads_replica(request, view_func):
            request._replica_tokens = _enter()


class _ReadConnectionProxy:
    """Соединение для сырых SQL-чтений: реплика, если чтение с неё сейчас разрешено, иначе основная.

    Маршрутизатор Django видит только запросы ORM; селекторы с ``connection.cursor()`` (каталог,
    поиск) импортируют ``read_connection as connection`` и так подчиняются тем же правилам.
    """

    def __getattr__(self, name):
        return getattr(connections[replica_for_read() or DEFAULT_DB_ALIAS], name)


read_connection = _ReadConnectionProxy()
