"""API поиска /api/v1/search/ — всегда для региона запроса.

Представления тонкие: разобрать параметры (фильтры — те же, что у списка каталога), позвать
селекторы, собрать словари и записать поиск в журнал (через буфер, без ожидания базы).
"""

import hashlib

import orjson
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ErrorDetail, NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication

from commerce.catalog import selectors as catalog_selectors
from commerce.catalog.api import serializers as catalog_serializers
from commerce.catalog.api.params import product_list_params
from commerce.catalog.cache import catalog_versions
from commerce.catalog.snapshot import catalog_snapshot
from commerce.search import error_codes, selectors, services
from commerce.search.api import schema, serializers
from commerce.search.normalization import layout_switch, query_max_length, query_normalize
from core.db_routing import replica_reads
from core.pagination import page_envelope
from core.throttling import ClientIpScopedRateThrottle
from regions import selectors as region_selectors

CATEGORY_LIMIT = 5
PAGE_LIMIT = 5
POPULAR_MAX_LIMIT = 50


def _json(body, status_code=200):
    return HttpResponse(orjson.dumps(body), status=status_code, content_type="application/json")


def _raw_query(request):
    # Исходный текст нужен для артикула и раскладки; сверх разумной длины он ничего не добавляет.
    # NUL и управляющие символы не пропускаем дальше: PostgreSQL не принимает NUL в тексте.
    raw = request.GET.get("q", "")[: query_max_length() * 2]
    return "".join(char for char in raw if char.isprintable() or char == " ")


def _session_key(request):
    return request.headers.get("X-Session-Id") or request.headers.get("X-Cart-Token") or ""


def _user_id(request):
    user = getattr(request, "user", None)
    return getattr(user, "id", None) if user is not None and user.is_authenticated else None


def _limit(request, *, default, maximum):
    raw = request.GET.get("limit", str(default))
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= maximum:
        raise ValidationError(
            {
                "limit": [
                    ErrorDetail(
                        _("Ожидается целое число от 1 до %(max)s.") % {"max": maximum}, error_codes.INVALID_LIMIT
                    )
                ]
            }
        )
    return value


class ProductNotFound(NotFound):
    default_code = error_codes.PRODUCT_NOT_FOUND


class SearchBaseApi(APIView):
    """Основа API поиска: публично, пользователь — из JWT без запроса к базе (для журнала)."""

    authentication_classes = [JWTStatelessUserAuthentication]
    permission_classes = [AllowAny]


@schema.search_schema
@replica_reads
class SearchApi(SearchBaseApi):
    """Поиск: товары региона (с фильтрами каталога и страницами), категории, страницы сайта.

    Постоянное число SQL-запросов при любом размере страницы.
    """

    def get(self, request):
        region = region_selectors.region_for_request(request=request)
        region_id = region.id if region else None
        snapshot = catalog_snapshot(versions=catalog_versions())
        raw = _raw_query(request)
        query = query_normalize(raw)
        sort = request.GET.get("sort") or selectors.RELEVANCE
        catalog_params = {key: value for key, value in request.GET.items() if key not in ("q", "sort")}
        if sort != selectors.RELEVANCE:
            catalog_params["sort"] = sort
        try:
            params = product_list_params(params=catalog_params, snapshot=snapshot)
        except ValidationError as error:
            if "sort" in error.detail:
                error.detail["sort"] = [
                    ErrorDetail(
                        _("Неизвестная сортировка; допустимо: %(sorts)s.")
                        % {"sorts": ", ".join([selectors.RELEVANCE, *catalog_selectors.PRODUCT_SORTS])},
                        error_codes.INVALID_SORT,
                    )
                ]
            raise

        match = selectors.product_search_ids(raw_query=raw, query=query)
        effective_query = match.corrected_query or query
        count, rows = selectors.product_search_page(
            ids=match.ids,
            region_id=region_id,
            filters=params.filters,
            sort=sort,
            offset=(params.page - 1) * params.page_size,
            limit=params.page_size,
        )
        images = catalog_selectors.page_main_images(rows=rows, specs=catalog_selectors.list_image_specs())
        categories = selectors.category_search(query=effective_query, snapshot=snapshot, limit=CATEGORY_LIMIT)
        pages = selectors.page_search(query=effective_query, region=region, limit=PAGE_LIMIT)
        search_id = services.search_log_record(
            query=query,
            region_code=region.code if region else "",
            results_count=count + len(categories) + len(pages),
            corrected_query=match.corrected_query,
            user_id=_user_id(request),
            session_key=_session_key(request),
        )
        body = {
            "query": query,
            "corrected_query": match.corrected_query or None,
            "search_id": str(search_id),
            **page_envelope(
                request=request,
                count=count,
                page=params.page,
                page_size=params.page_size,
                sort=sort,
                currency=region.currency if region else None,
                results=[catalog_serializers.product_list_item(row, snapshot, images) for row in rows],
            ),
            "categories": [serializers.category_hit(snapshot, node) for node in categories],
            "pages": [serializers.page_hit(page, request) for page in pages],
        }
        response = _json(body)
        response["X-Region"] = region.code if region else "-"
        response["Cache-Control"] = "no-store"
        return response


@schema.suggest_schema
@replica_reads
class SuggestApi(SearchBaseApi):
    """Подсказки по мере набора: товары и категории по началу слова, популярные запросы.

    Короче SEARCH_SUGGEST_MIN_LENGTH символов — пустой ответ. Ответ кэшируется в Redis
    на SEARCH_SUGGEST_CACHE_SECONDS под версией данных каталога.
    """

    authentication_classes = []

    def get(self, request):
        region = region_selectors.region_for_request(request=request)
        region_code = region.code if region else ""
        query = query_normalize(_raw_query(request))
        body = {"query": query, "corrected_query": None, "products": [], "categories": [], "queries": []}
        if len(query) < settings.SEARCH_SUGGEST_MIN_LENGTH:
            return _json(body)
        versions = catalog_versions()
        digest = hashlib.sha1(query.encode(), usedforsecurity=False).hexdigest()
        key = f"search:suggest:{versions[0]}:{versions[1]}:{region_code}:{get_language() or ''}:{digest}"
        timeout = settings.SEARCH_SUGGEST_CACHE_SECONDS
        cached = cache.get(key) if timeout else None
        if cached is not None:
            return HttpResponse(cached, content_type="application/json")
        limit = settings.SEARCH_SUGGEST_LIMIT
        snapshot = catalog_snapshot(versions=versions)
        products = selectors.suggest_products(query=query, limit=limit)
        if not products:
            switched = layout_switch(_raw_query(request))
            if switched:
                products = selectors.suggest_products(query=switched, limit=limit)
                if products:
                    body["corrected_query"] = switched
        effective = body["corrected_query"] or query
        body["products"] = [{"id": item.pk, "slug": item.slug, "name": item.name} for item in products]
        body["categories"] = [
            serializers.category_hit(snapshot, node)
            for node in selectors.suggest_categories(query=effective, snapshot=snapshot, limit=3)
        ]
        body["queries"] = [
            row["query"] for row in selectors.popular_queries(region_code=region_code, prefix=effective, limit=5)
        ]
        payload = orjson.dumps(body)
        if timeout:
            cache.set(key, payload, timeout)
        return HttpResponse(payload, content_type="application/json")


@schema.popular_schema
@replica_reads
class PopularQueriesApi(SearchBaseApi):
    """«Часто ищут»: популярные запросы региона за последние SEARCH_POPULAR_DAYS дней."""

    authentication_classes = []

    def get(self, request):
        region = region_selectors.region_for_request(request=request)
        limit = _limit(request, default=10, maximum=POPULAR_MAX_LIMIT)
        rows = selectors.popular_queries(region_code=region.code if region else "", limit=limit)
        response = _json({"results": rows})
        response["Cache-Control"] = "public, max-age=300"
        return response


@schema.event_schema
class SearchEventApi(SearchBaseApi):
    """Событие витрины по товару: просмотр, добавление в корзину, покупка (с search_id — из поиска)."""

    # Адрес клиента — с учётом доверенных прокси (core.client_ip): ScopedRateThrottle DRF верит
    # любому X-Forwarded-For, и ограничение обходилось подделкой заголовка.
    throttle_classes = [ClientIpScopedRateThrottle]
    throttle_scope = "search_events"

    def post(self, request):
        data = serializers.SearchEventInput(data=request.data)
        data.is_valid(raise_exception=True)
        product = catalog_selectors.product_detail_row(slug=data.validated_data["product"])
        if product is None:
            raise ProductNotFound(_("Товар не найден."))
        region = region_selectors.region_for_request(request=request)
        services.search_event_record(
            kind=data.validated_data["kind"],
            product_id=product["id"],
            category_id=product["main_category_id"],
            region_code=region.code if region else "",
            search_id=data.validated_data.get("search_id"),
            quantity=data.validated_data.get("quantity") or 1,
            session_key=_session_key(request),
        )
        return _json({"accepted": True}, status_code=status.HTTP_202_ACCEPTED)
