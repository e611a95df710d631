"""Правила маршрутизатора реплик и заголовков CDN в одном процессе (без движков).

Движки проверяют test_replicas.py и test_cdn.py; здесь — ветви решений, и во встроенном
варианте (SQLite) тоже: без реплик маршрутизатор всегда отвечает «основная база».
"""

import orjson
import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework.views import APIView
from rest_framework.viewsets import ViewSet

from core import errors
from core.cdn import CdnCacheMiddleware, cdn_cacheable, region_is_shareable, view_cdn_policy
from core.db_routing import ReplicaRouter, replica_for_read, replica_reads, replica_reads_allowed, view_allows_replica


@replica_reads
class ReplicaView(APIView):
    pass


@replica_reads
class ReplicaViewSet(ViewSet):
    def list(self, request):
        return HttpResponse()


class PlainView(APIView):
    pass


def test_replica_mark_is_found_on_class_viewset_and_function():
    @replica_reads
    def function_view(request):
        return HttpResponse()

    assert view_allows_replica(ReplicaView.as_view())
    assert view_allows_replica(ReplicaViewSet.as_view({"get": "list"}))
    assert view_allows_replica(function_view)
    assert not view_allows_replica(PlainView.as_view())


def test_without_replicas_every_read_goes_to_the_primary(settings):
    # given: реплик нет (как по умолчанию)
    settings.DATABASE_REPLICA_ALIASES = []
    # when / then
    with replica_reads_allowed():
        assert replica_for_read() is None
        assert ReplicaRouter().db_for_read(None) == "default"
    assert ReplicaRouter().allow_migrate("replica", "catalog") is False
    assert ReplicaRouter().allow_migrate("default", "catalog") is True


class Region:
    code = "msk"


def _request(resolver, **headers):
    request = RequestFactory().get("/api/v1/catalog/products/", **headers)
    request.region = Region()
    request.region_resolver = resolver
    return request


def _middleware(body, status=200):
    return CdnCacheMiddleware(lambda request: HttpResponse(orjson.dumps(body), status=status))


@pytest.fixture
def cdn_settings(settings):
    settings.CDN_S_MAXAGE = 60
    settings.CDN_STALE_WHILE_REVALIDATE = 30
    settings.CDN_SURROGATE_KEY_HEADERS = ["Surrogate-Key", "Cache-Tag"]
    return settings


def _resolved(request, view):
    """Запрос, которому маршрутизатор (или короткий путь каталога) уже нашёл представление."""
    request.resolver_match = ResolverMatch(view, (), {})
    return request


def _run(middleware, request, policy):
    view = cdn_cacheable(keys=policy["keys"], ids_prefix=policy["ids_prefix"])(PlainView.as_view())
    return middleware(_resolved(request, view))


def test_explicit_region_is_public_with_keys_of_products_in_the_body(cdn_settings):
    # given
    middleware = _middleware({"results": [{"id": 7}, {"id": 9}], "count": 2})
    # when
    response = _run(middleware, _request("explicit"), {"keys": ("catalog",), "ids_prefix": "product"})
    # then
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60, stale-while-revalidate=30"
    assert response["Surrogate-Key"] == "catalog region-msk product-7 product-9"
    assert response["Cache-Tag"] == "catalog,region-msk,product-7,product-9"


@pytest.mark.parametrize("resolver", ["geoip", "cookie", "default"])
def test_guessed_or_remembered_region_is_private(cdn_settings, resolver):
    # given: GeoIP в списке резолверов (как по умолчанию) — регион по умолчанию тоже догадка
    cdn_settings.REGIONS_RESOLVERS = ["regions.resolvers.ExplicitResolver", "regions.resolvers.GeoIpResolver"]
    # when
    response = _run(_middleware({"id": 1}), _request(resolver), {"keys": ("catalog",), "ids_prefix": "product"})
    # then
    assert response["Cache-Control"].startswith("private")
    assert "Surrogate-Key" not in response


def test_default_region_is_shared_when_geoip_is_not_used(cdn_settings):
    cdn_settings.REGIONS_RESOLVERS = ["regions.resolvers.ExplicitResolver", "regions.resolvers.DefaultResolver"]
    assert region_is_shareable(_request("default"))


def test_authorized_requests_and_errors_are_never_stored(cdn_settings):
    authorized = _run(
        _middleware({"id": 1}), _request("explicit", HTTP_AUTHORIZATION="Bearer x"), {"keys": (), "ids_prefix": None}
    )
    failed = _run(_middleware({"error": {}}, status=500), _request("explicit"), {"keys": (), "ids_prefix": None})
    assert authorized["Cache-Control"] == "private, no-store"
    assert failed["Cache-Control"] == "private, no-store"


def test_unmarked_view_keeps_its_own_headers(cdn_settings):
    middleware = _middleware({"id": 1})
    request = _request("explicit")
    assert view_cdn_policy(PlainView.as_view()) is None
    assert "Cache-Control" not in middleware(_resolved(request, PlainView.as_view()))


def test_redis_failure_outside_the_cache_is_a_503_with_stable_code():
    exc = errors.api_exception_for(RedisConnectionError("down"))
    assert exc.status_code == 503
    assert exc.default_code == "temporarily_unavailable"
