"""Версии каталога в общем кэше (Redis) и кэш ответов API каталога.

Версии: ``structure`` (категории, бренды, атрибуты — из них строится снимок для
проверки фильтров и хлебных крошек), ``data`` (товары, варианты, цены, остатки — любая правка
в админке, обмене, интеграциях) и две узкие для оформления заказа: ``stock`` (от неё зависят
карточки) и ``offers`` (списки и фасеты; меняется, только если у предложения изменились цена
или наличие). Так заказ, уменьшивший остаток с 10 до 9, не сбрасывает кэш списков. Ответ
хранится вместе с версиями, при которых он построен, и годится, только пока они совпадают
с текущими — удалять ничего не нужно, старое вытеснит TTL.
Версия меняется дважды: сразу (изменение видно внутри той же транзакции и в тестах) и
после commit — иначе параллельный запрос успел бы положить в кэш под новой версией ещё
старые данные, прочитанные до фиксации.
"""

import hashlib
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


def catalog_versions():
    """Вернуть пару (версия структуры, версия данных), заведя недостающие — одно чтение из кэша."""
    values = cache.get_many([STRUCTURE_VERSION_KEY, DATA_VERSION_KEY])
    structure = values.get(STRUCTURE_VERSION_KEY)
    data = values.get(DATA_VERSION_KEY)
    if structure is None:
        cache.add(STRUCTURE_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        structure = cache.get(STRUCTURE_VERSION_KEY) or "uncached"
    if data is None:
        cache.add(DATA_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        data = cache.get(DATA_VERSION_KEY) or "uncached"
    return structure, data


def _bump(*, structure):
    keys = [DATA_VERSION_KEY, STRUCTURE_VERSION_KEY] if structure else [DATA_VERSION_KEY]
    cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)


def catalog_cache_invalidate_stock(*, offers_changed):
    """Сменить версию остатков (карточки), а если offers_changed — и версию предложений (списки).

    Вызывается после отложенного пересчёта предложений (оформление заказа, резервы): сейчас и
    ещё раз после фиксации, как catalog_cache_invalidate.
    """
    keys = [STOCK_VERSION_KEY, OFFERS_VERSION_KEY] if offers_changed else [STOCK_VERSION_KEY]

    def bump():
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)

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
    """Прочитать версии каталога и ответ из кэша одним обращением к Redis (MGET).

    version_keys — узкие версии, от которых ответ зависит сверх структуры и данных
    (STOCK_VERSION_KEY, OFFERS_VERSION_KEY). Возвращает (версии, (etag, тело) или None).
    Ответ хранится вместе с версиями, при которых он построен, и годится, только если они
    совпадают с текущими: так кэшированный ответ стоит одного запроса к Redis. Узкой версии,
    которую ещё ни разу не меняли, нет в кэше — её значение None, и это тоже версия.
    """
    values = cache.get_many([STRUCTURE_VERSION_KEY, DATA_VERSION_KEY, *version_keys, key])
    structure, data = values.get(STRUCTURE_VERSION_KEY), values.get(DATA_VERSION_KEY)
    if structure is None or data is None:
        return (*catalog_versions(), *(values.get(name) for name in version_keys)), None
    versions = (structure, data, *(values.get(name) for name in version_keys))
    cached = values.get(key)
    if cached is not None and tuple(cached[:-2]) == versions:
        return versions, (cached[-2], cached[-1])
    return versions, None


def response_cache_store(*, key, versions, etag, body, timeout):
    """Положить ответ в кэш вместе с версиями каталога, при которых он построен."""
    cache.set(key, (*versions, etag, body), timeout)


def response_cache_timeout():
    """Время жизни ответа в кэше, секунды; 0 — кэш ответов выключен."""
    return settings.CATALOG_CACHE_TIMEOUT
