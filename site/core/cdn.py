"""Заголовки для CDN и общих кэшей (Varnish, Cloudflare, Fastly) и сброс по ключам.

Представление, ответ которого можно хранить в общем кэше, помечается декоратором
:func:`cdn_cacheable`. :class:`CdnCacheMiddleware` (включён, если CDN_S_MAXAGE > 0) ставит
такому ответу ``Cache-Control: public, max-age=0, s-maxage=…, stale-while-revalidate=…`` и
ключи ``Surrogate-Key`` / ``Cache-Tag`` (регион, каталог, id товаров в ответе).

Главное правило: ответ, регион которого определён по GeoIP, cookie или угадан по умолчанию
при включённом GeoIP, — ``private``. Общий кэш различает ответы только по адресу и заголовкам
из Vary, а не по IP посетителя, и иначе отдал бы цены одного региона покупателям другого.
Публичны только ответы с регионом из адреса (подпапка, поддомен, ?region=) или X-Region.

Сброс: :func:`cdn_purge_keys` превращает ключ в адрес ``/.cdn-keys/<ключ>`` и отдаёт его
бэкендам wagtail.contrib.frontend_cache (WAGTAILFRONTENDCACHE); VCL из
deploy/varnish/megashop.vcl делает из такого PURGE бан по Surrogate-Key. Бэкенды CDN без
бана по ключам (Cloudflare, CloudFront) получают и обычные адреса — :func:`cdn_purge_urls`.
"""

import logging
import re

import orjson
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

PURGE_KEY_PATH = "/.cdn-keys/"
# Ключ — латиница, цифры, точка, дефис, подчёркивание: он попадает в адрес и в бан Varnish.
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def cdn_key(value):
    """Привести значение к безопасному ключу кэша (без пробелов и спецсимволов)."""
    return _KEY_UNSAFE.sub("_", str(value))


def cdn_cacheable(view=None, *, keys=("api",), ids_prefix=None):
    """Разрешить общим кэшам хранить ответ представления (класса или функции).

    Args:
        keys: постоянные ключи ответа (``catalog``, ``content``) для сброса целой группы.
        ids_prefix: если задан, в ключи попадают ``<ids_prefix>-<id>`` для поля ``id``
            ответа и полей ``id`` элементов ``results`` (карточка и список товаров).

    Returns:
        Тот же класс или функцию с атрибутом ``cdn_cache`` — его читает CdnCacheMiddleware.
    """

    def mark(target):
        target.cdn_cache = {"keys": tuple(keys), "ids_prefix": ids_prefix}
        return target

    return mark(view) if view is not None else mark


def view_cdn_policy(view_func):
    """Вернуть правило CDN представления (словарь из cdn_cacheable) или None."""
    for candidate in (getattr(view_func, "view_class", None), getattr(view_func, "cls", None), view_func):
        policy = getattr(candidate, "cdn_cache", None) if candidate is not None else None
        if policy:
            return policy
    return None


def region_is_shareable(request):
    """Можно ли отдать ответ этого запроса другому посетителю с тем же адресом и заголовками."""
    resolver = getattr(request, "region_resolver", None)
    if resolver in settings.CDN_PUBLIC_REGION_RESOLVERS:
        return True
    # Регион по умолчанию общий для всех, только если его не могли бы угадать по IP.
    return resolver in (None, "default") and not any("GeoIp" in path for path in settings.REGIONS_RESOLVERS)


def _ids_from_body(body, prefix):
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return []
    if not isinstance(data, dict):
        return []
    items = data.get("results") if isinstance(data.get("results"), list) else [data]
    return [f"{prefix}-{cdn_key(item['id'])}" for item in items if isinstance(item, dict) and "id" in item]


def response_surrogate_keys(*, request, response, policy):
    """Собрать ключи ответа: постоянные, регион, id объектов из тела."""
    keys = list(policy["keys"])
    region = getattr(request, "region", None)
    if region is not None:
        keys.append(f"region-{cdn_key(region.code)}")
    if policy.get("ids_prefix") and response.status_code == 200 and not response.streaming:
        keys.extend(_ids_from_body(response.content, policy["ids_prefix"]))
    return list(dict.fromkeys(keys))


class CdnCacheMiddleware:
    """Поставить ответам помеченных представлений заголовки общего кэша и ключи сброса.

    Ошибки (кроме 404) и запросы с авторизацией — ``private, no-store``: их не хранит никто.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Представление берётся из resolver_match, а не из process_view: короткий путь каталога
        # (commerce.catalog.middleware) вызывает представление сам, мимо process_view.
        match = getattr(request, "resolver_match", None)
        policy = view_cdn_policy(match.func) if match is not None else None
        if policy is None or request.method not in ("GET", "HEAD"):
            return response
        if response.status_code not in (200, 304, 404) or "HTTP_AUTHORIZATION" in request.META:
            response["Cache-Control"] = "private, no-store"
            return response
        if not region_is_shareable(request):
            # Браузер посетителя может хранить и сверять по ETag, общий кэш — нет.
            response["Cache-Control"] = "private, max-age=0, must-revalidate"
            return response
        response["Cache-Control"] = (
            f"public, max-age=0, s-maxage={settings.CDN_S_MAXAGE}, "
            f"stale-while-revalidate={settings.CDN_STALE_WHILE_REVALIDATE}"
        )
        if response.status_code != 304:
            keys = response_surrogate_keys(request=request, response=response, policy=policy)
            for header in settings.CDN_SURROGATE_KEY_HEADERS:
                # Fastly и Varnish ждут ключи через пробел, Cloudflare (Cache-Tag) — через запятую.
                response[header] = ",".join(keys) if header.lower() == "cache-tag" else " ".join(keys)
        return response


def cdn_purge_enabled():
    """Настроен ли сброс кэша CDN (WAGTAILFRONTENDCACHE)."""
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _purge(urls):
    # Приложение frontend_cache подключается, только если задан CDN_PURGE_VARNISH_URL.
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    try:
        purge_urls_from_cache(urls)
    except Exception:
        logger.exception("Сброс кэша CDN не удался: %s", urls)


def cdn_purge_urls(paths):
    """Сбросить в CDN ответы по путям (после фиксации транзакции)."""
    if not cdn_purge_enabled() or not paths:
        return
    base = settings.CDN_PURGE_BASE_URL.rstrip("/")
    urls = [base + path for path in dict.fromkeys(paths)]
    transaction.on_commit(lambda: _purge(urls))


def cdn_purge_keys(keys):
    """Сбросить в CDN все ответы с любым из ключей (после фиксации транзакции)."""
    cdn_purge_urls([PURGE_KEY_PATH + cdn_key(key) for key in keys])
