"""Версии каталога в общем кэше (Redis) и кэш ответов API каталога.

Версии: ``structure`` (категории, бренды, атрибуты — из них строится снимок для
проверки фильтров и хлебных крошек), ``data`` (товары, варианты, цены, остатки — любая правка
в админке, обмене, интеграциях) и две узкие для оформления заказа: ``stock`` (от неё зависят
карточки) и ``offers`` (списки и фасеты; меняется, только если у предложения изменились цена
или наличие). Так заказ, уменьшивший остаток с 10 до 9, не сбрасывает кэш списков. Ответ
хранится вместе с версиями, при которых он построен, и годится, только пока они совпадают
с текущими — удалять ничего не нужно, старое вытеснит TTL.
Процесс сверяет версии с Redis не чаще раза в CATALOG_VERSION_CHECK_SECONDS (1 с), между
сверками — копия в памяти: свои правки видны сразу, чужие — после сверки.
Версия меняется дважды: сразу (изменение видно внутри той же транзакции и в тестах) и
после commit — иначе параллельный запрос успел бы положить в кэш под новой версией ещё
старые данные, прочитанные до фиксации.
"""

import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

STRUCTURE_VERSION_KEY = "catalog:version:structure"
DATA_VERSION_KEY = "catalog:version:data"
# Остатки и цены, изменённые оформлением заказа и резервами (отложенный пересчёт предложений):
# от них зависят карточки (остаток варианта), а списки и фасеты — только если у предложения
# изменилось видимое в списке (цена, наличие) — тогда меняется и OFFERS_VERSION_KEY.
STOCK_VERSION_KEY = "catalog:version:stock"
OFFERS_VERSION_KEY = "catalog:version:offers"
RESPONSE_KEY_PREFIX = "catalog:response"


# Все версии одним MGET: сверка с Redis не чаще раза в CATALOG_VERSION_CHECK_SECONDS.
_ALL_VERSION_KEYS = (STRUCTURE_VERSION_KEY, DATA_VERSION_KEY, STOCK_VERSION_KEY, OFFERS_VERSION_KEY)


class _LocalVersions:
    """Копия версий каталога в памяти процесса и время последней сверки с Redis.

    Непроверенный запрос к каталогу иначе платил бы за MGET версий (0,4–0,8 мс, до 10 % времени
    ответа). Правки этого процесса меняют копию сразу (_remember), правки других процессов
    видны после следующей сверки — не позже CATALOG_VERSION_CHECK_SECONDS.
    """

    __slots__ = ("checked_at", "values")

    def __init__(self):
        self.values = None
        self.checked_at = 0.0


_local = _LocalVersions()
# Часы сверки (монотонные); тесты подменяют их, чтобы не ждать.
_clock = time.monotonic


def _versions_all():
    """Вернуть {ключ версии: значение} всех версий — из памяти процесса или одним MGET."""
    interval = settings.CATALOG_VERSION_CHECK_SECONDS
    now = _clock()
    values = _local.values
    if values is not None and interval > 0 and now - _local.checked_at < interval:
        return values
    fetched = cache.get_many(list(_ALL_VERSION_KEYS))
    values = {key: fetched.get(key) for key in _ALL_VERSION_KEYS}
    for key in (STRUCTURE_VERSION_KEY, DATA_VERSION_KEY):
        if values[key] is None:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            values[key] = cache.get(key) or "uncached"
    _local.values, _local.checked_at = values, now
    return values


def _remember(new_values):
    """Записать новые версии в Redis и в копию этого процесса."""
    cache.set_many(new_values, timeout=None)
    if _local.values is not None:
        _local.values = {**_local.values, **new_values}


def catalog_versions():
    """Вернуть пару (версия структуры, версия данных), заведя недостающие; Redis — не чаще раза в интервал."""
    values = _versions_all()
    return values[STRUCTURE_VERSION_KEY], values[DATA_VERSION_KEY]


def _bump(*, structure):
    keys = [DATA_VERSION_KEY, STRUCTURE_VERSION_KEY] if structure else [DATA_VERSION_KEY]
    _remember({key: uuid.uuid4().hex for key in keys})


def catalog_cache_invalidate_stock(*, offers_changed):
    """Сменить версию остатков (карточки), а если offers_changed — и версию предложений (списки).

    Вызывается после отложенного пересчёта предложений (оформление заказа, резервы): сейчас и
    ещё раз после фиксации, как catalog_cache_invalidate.
    """
    keys = [STOCK_VERSION_KEY, OFFERS_VERSION_KEY] if offers_changed else [STOCK_VERSION_KEY]

    def bump():
        _remember({key: uuid.uuid4().hex for key in keys})

    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def catalog_cache_invalidate(*, structure=False):
    """Сменить версию данных (и структуры, если structure) сейчас и после фиксации транзакции.

    Структура меняет и данные: ответы содержат названия категорий и атрибутов.
    """
    _bump(structure=structure)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(structure=structure))


def response_cache_key(*, region_code, path, params):
    """Ключ кэша ответа: регион, путь и отсортированные параметры запроса (версии — в значении)."""
    query = "&".join(f"{key}={value}" for key, value in sorted(params))
    digest = hashlib.sha1(f"{path}?{query}".encode(), usedforsecurity=False).hexdigest()
    return f"{RESPONSE_KEY_PREFIX}:{region_code}:{digest}"


def response_cache_lookup(*, key, version_keys=()):
    """Вернуть версии каталога и ответ из кэша: (версии, (etag, тело) или None).

    version_keys — узкие версии, от которых ответ зависит сверх структуры и данных
    (STOCK_VERSION_KEY, OFFERS_VERSION_KEY). Ответ хранится вместе с версиями, при которых он
    построен, и годится, только если они совпадают с текущими. Версии — из копии процесса
    (сверка с Redis не чаще раза в CATALOG_VERSION_CHECK_SECONDS), поэтому кэшированный ответ
    стоит одного GET. Узкой версии, которую ещё ни разу не меняли, нет в кэше — её значение
    None, и это тоже версия.
    """
    values = _versions_all()
    versions = (values[STRUCTURE_VERSION_KEY], values[DATA_VERSION_KEY], *(values[name] for name in version_keys))
    cached = cache.get(key)
    if cached is not None and tuple(cached[:-2]) == versions:
        return versions, (cached[-2], cached[-1])
    return versions, None


def response_cache_store(*, key, versions, etag, body, timeout):
    """Положить ответ в кэш вместе с версиями каталога, при которых он построен."""
    cache.set(key, (*versions, etag, body), timeout)


def response_cache_timeout():
    """Время жизни ответа в кэше, секунды; 0 — кэш ответов выключен."""
    return settings.CATALOG_CACHE_TIMEOUT
