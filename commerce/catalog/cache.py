"""Версии каталога в общем кэше (Redis) и кэш ответов API каталога.

Две версии: ``structure`` (категории, бренды, атрибуты — из них строится снимок для
проверки фильтров и хлебных крошек) и ``data`` (товары, варианты, цены, остатки). Любое
изменение меняет версию после фиксации транзакции, и все ключи кэша ответов, содержащие
старую версию, больше не читаются — удалять ничего не нужно, старое вытеснит TTL.
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


def response_cache_lookup(*, key):
    """Прочитать версии каталога и ответ из кэша одним обращением к Redis (MGET).

    Возвращает (версии, (etag, тело) или None). Ответ хранится вместе с версиями, при которых
    он построен, и годится, только если они совпадают с текущими: так кэшированный ответ стоит
    одного запроса к Redis, а не двух (версии, затем ответ под ключом с версиями).
    """
    values = cache.get_many([STRUCTURE_VERSION_KEY, DATA_VERSION_KEY, key])
    structure, data = values.get(STRUCTURE_VERSION_KEY), values.get(DATA_VERSION_KEY)
    if structure is None or data is None:
        return catalog_versions(), None
    cached = values.get(key)
    if cached is not None and cached[0] == structure and cached[1] == data:
        return (structure, data), (cached[2], cached[3])
    return (structure, data), None


def response_cache_store(*, key, versions, etag, body, timeout):
    """Положить ответ в кэш вместе с версиями каталога, при которых он построен."""
    cache.set(key, (versions[0], versions[1], etag, body), timeout)


def response_cache_timeout():
    """Время жизни ответа в кэше, секунды; 0 — кэш ответов выключен."""
    return getattr(settings, "CATALOG_CACHE_TIMEOUT", 300)
