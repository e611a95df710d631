"""Постраничная выдача списков /api/v1/: один конверт для всех списков.

Конверт::

    {"count": 123, "page": 2, "page_size": 24, "num_pages": 6,
     "next": "/api/v1/catalog/products/?page=3", "previous": "/api/v1/catalog/products/?page=1",
     "results": [...]}

``next`` и ``previous`` — путь с запросом от корня сайта API (без хоста): ответы каталога
кэшируются без учёта хоста, а витрина обычно ходит к API через свой прокси. Кроме этих
полей список может нести свои (``sort``, ``currency``, ``region``) — но не вместо них.
Wagtail API v2 (/api/v2/) держит свой конверт ``meta.total_count`` + ``items``.
"""

import math

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

PAGE_QUERY_PARAM = "page"
ENVELOPE_FIELDS = ("count", "page", "page_size", "num_pages", "next", "previous", "results")


def _page_link(request, page):
    url = request.get_full_path()
    if page == 1:
        return remove_query_param(url, PAGE_QUERY_PARAM)
    return replace_query_param(url, PAGE_QUERY_PARAM, page)


def page_envelope(*, request, count, page, page_size, results, **extra):
    """Собрать конверт страницы списка: счётчики, ссылки на соседние страницы, результаты.

    Args:
        extra: поля списка сверх конверта (например, ``sort``, ``currency``).
    """
    num_pages = math.ceil(count / page_size) if count and page_size else 0
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "num_pages": num_pages,
        "next": _page_link(request, page + 1) if page < num_pages else None,
        "previous": _page_link(request, page - 1) if 1 < page <= num_pages + 1 else None,
        **extra,
        "results": results,
    }


def page_envelope_schema(results_schema, extra_properties=None):
    """Вернуть схему OpenAPI конверта с results_schema в results (для drf-spectacular)."""
    link = {"type": "string", "nullable": True, "example": "/api/v1/orders/?page=2"}
    return {
        "type": "object",
        "required": list(ENVELOPE_FIELDS),
        "properties": {
            "count": {"type": "integer", "example": 123, "description": str(_("Всего элементов."))},
            "page": {"type": "integer", "example": 1},
            "page_size": {"type": "integer", "example": 24},
            "num_pages": {"type": "integer", "example": 6, "description": str(_("0 — список пуст."))},
            "next": link,
            "previous": link,
            **(extra_properties or {}),
            "results": results_schema,
        },
    }


class PageNumberPagination(pagination.PageNumberPagination):
    """Нумерация страниц с размером страницы из запроса (?page_size=, не больше 100)."""

    page_query_param = PAGE_QUERY_PARAM
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data):
        return Response(
            page_envelope(
                request=self.request,
                count=self.page.paginator.count,
                page=self.page.number,
                page_size=self.page.paginator.per_page,
                results=data,
            )
        )

    def get_paginated_response_schema(self, schema):
        return page_envelope_schema(schema)


def list_response(*, request, items, serialize, **extra):
    """Отдать готовый список (не QuerySet) в общем конверте: ?page= и ?page_size= работают и здесь.

    Args:
        items: последовательность элементов (справочники: способы доставки, пункты, оплата).
        serialize: функция «страница элементов → список словарей».
        extra: поля списка сверх конверта (например, ``region``).
    """
    paginator = PageNumberPagination()
    page_items = paginator.paginate_queryset(list(items), request)
    return Response(
        page_envelope(
            request=request,
            count=paginator.page.paginator.count,
            page=paginator.page.number,
            page_size=paginator.page.paginator.per_page,
            results=serialize(page_items),
            **extra,
        )
    )
