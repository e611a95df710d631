"""API каталога /api/v1/catalog/ — всегда для региона запроса.

Представления тонкие: проверить параметры, позвать селекторы, собрать словари и отдать
JSON через orjson (в разы быстрее json стандартной библиотеки на списке из 100 товаров).
Ответы кэшируются в Redis вместе с версиями каталога (cache.py): кэшированный ответ стоит
одного обращения к Redis. Ответ несёт ETag: повторный запрос с If-None-Match получает 304
без тела.
"""

import hashlib

import orjson
from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from commerce.catalog import error_codes, price_hooks, selectors
from commerce.catalog.api import schema, serializers
from commerce.catalog.api.params import product_list_params
from commerce.catalog.cache import (
    OFFERS_VERSION_KEY,
    STOCK_VERSION_KEY,
    catalog_versions,
    response_cache_key,
    response_cache_lookup,
    response_cache_store,
    response_cache_timeout,
)
from commerce.catalog.snapshot import catalog_snapshot
from core.cdn import cdn_cacheable
from core.db_routing import replica_reads
from core.pagination import page_envelope
from regions import selectors as region_selectors


class CatalogNotFound(NotFound):
    default_code = error_codes.PRODUCT_NOT_FOUND


# Каталог читается с реплики и хранится в CDN (docs/sysadmin/scaling.md).
@replica_reads
@cdn_cacheable(keys=("catalog",))
class CatalogApi(APIView):
    """Основа представлений каталога: регион, версия, кэш ответа, ETag, компактный JSON.

    Каталог публичен: аутентификация не нужна, и её отсутствие экономит время на запрос.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    # Узкие версии кэша (cache.py), от которых ответ зависит сверх структуры и данных.
    cache_version_keys = ()

    def build(self, request, *, region, snapshot, **kwargs):  # pragma: no cover — переопределяется
        raise NotImplementedError

    def get(self, request, **kwargs):
        region = region_selectors.region_for_request(request=request)
        timeout = response_cache_timeout()
        region_code = region.code if region else "-"
        key = None
        cached = None
        if timeout:
            params = [*request.GET.items(), ("~lang", get_language() or ""), *kwargs.items()]
            key = response_cache_key(region_code=region_code, path=request.path, params=params)
            versions, cached = response_cache_lookup(key=key, version_keys=self.cache_version_keys)
        else:
            versions = catalog_versions()
        if cached is None:
            snapshot = catalog_snapshot(versions=versions)
            data = self.build(request, region=region, snapshot=snapshot, **kwargs)
            body = orjson.dumps(data)
            etag = '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'
            if key:
                response_cache_store(key=key, versions=versions, etag=etag, body=body, timeout=timeout)
        else:
            etag, body = cached
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(body, content_type="application/json")
        response["ETag"] = etag
        # Можно хранить, но перед использованием — сверить ETag: товар меняется в любой момент.
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        response["X-Region"] = region_code
        return response


@extend_schema_view(
    get=schema.catalog_schema(
        operation_id="catalog_category_tree",
        summary="Дерево активных категорий",
        response=schema.CategoryTreeSchema,
    )
)
class CategoryTreeApi(CatalogApi):
    """Дерево активных категорий — без SQL-запросов в тёплом состоянии."""

    def build(self, request, *, region, snapshot):
        return {"results": [serializers.category_tree_dict(node) for node in snapshot.roots]}


@extend_schema_view(
    get=schema.catalog_schema(
        operation_id="catalog_category_detail",
        summary="Категория: хлебные крошки, дети, фильтруемые атрибуты",
        response=schema.CategoryDetailSchema,
        errors={404: schema.NOT_FOUND},
    )
)
class CategoryDetailApi(CatalogApi):
    """Одна категория: хлебные крошки, дети, фильтруемые атрибуты (со значениями)."""

    def build(self, request, *, region, snapshot, slug):
        node = snapshot.categories_by_slug.get(slug)
        if node is None:
            raise NotFound(_("Категория не найдена."), code=error_codes.CATEGORY_NOT_FOUND)
        return {
            "id": node.id,
            "slug": node.slug,
            "name": node.name,
            "description": node.description,
            "seo": {"title": node.seo_title or node.name, "description": node.seo_description},
            "breadcrumbs": [serializers.category_short(item) for item in snapshot.breadcrumbs(node.id)],
            "children": [serializers.category_short(child) for child in node.children],
            "attributes": [
                serializers.attribute_dict(attribute)
                for attribute in snapshot.category_attributes(node.id)
                if attribute.is_filterable and attribute.type != "text"
            ],
        }


@extend_schema_view(
    get=schema.catalog_schema(
        operation_id="catalog_product_list",
        summary="Список товаров региона с фильтрами, сортировкой и страницами",
        response=schema.ProductListSchema,
        parameters=schema.LIST_PARAMETERS,
        errors={400: schema.BAD_FILTER},
    )
)
@cdn_cacheable(keys=("catalog",), ids_prefix="product")
class ProductListApi(CatalogApi):
    """Список товаров с фильтрами, сортировкой и постраничной выдачей — 1 SQL-запрос с категорией.

    Страница с числом товаров — один запрос к предложениям региона (без категории — два);
    если у товаров страницы есть изображения — ещё два (изображения и их рендишены).
    """

    cache_version_keys = (OFFERS_VERSION_KEY,)

    def build(self, request, *, region, snapshot):
        params = product_list_params(params=request.GET, snapshot=snapshot)
        count, rows = selectors.product_list(
            region_id=region.id if region else None,
            filters=params.filters,
            sort=params.sort,
            offset=(params.page - 1) * params.page_size,
            limit=params.page_size,
        )
        images = selectors.page_main_images(rows=rows, specs=selectors.list_image_specs())
        return page_envelope(
            request=request,
            count=count,
            page=params.page,
            page_size=params.page_size,
            sort=params.sort,
            currency=region.currency if region else None,
            results=[serializers.product_list_item(row, snapshot, images) for row in rows],
        )


@extend_schema_view(
    get=schema.catalog_schema(
        operation_id="catalog_product_facets",
        summary="Фасеты под текущим фильтром: бренды, значения атрибутов, диапазон цен",
        response=schema.FacetsSchema,
        parameters=schema.FILTER_PARAMETERS,
        errors={400: schema.BAD_FILTER},
    )
)
class ProductFacetsApi(CatalogApi):
    """Фасеты под текущим фильтром: бренды, значения атрибутов, диапазоны цены и чисел — 1 SQL-запрос."""

    cache_version_keys = (OFFERS_VERSION_KEY,)

    def build(self, request, *, region, snapshot):
        params = product_list_params(params=request.GET, snapshot=snapshot, with_paging=False)
        filterable = [
            attribute
            for attribute in (
                snapshot.category_attributes(params.category.id)
                if params.category
                else snapshot.attributes_by_id.values()
            )
            if attribute.is_filterable
        ]
        attributes = [attribute for attribute in filterable if attribute.type == "choice"]
        numbers = [attribute for attribute in filterable if attribute.type == "number"]
        choice_ids = [choice[0] for attribute in attributes for choice in attribute.choices]
        facets = selectors.product_facets(
            region_id=region.id if region else None,
            filters=params.filters,
            choice_ids=choice_ids,
            number_ids=[attribute.id for attribute in numbers],
        )
        brands = [
            {**serializers.brand_dict(snapshot, brand_id), "count": count}
            for brand_id, count in facets["brands"].items()
            if brand_id in snapshot.brands_by_id
        ]
        brands.sort(key=lambda item: (-item["count"], item["name"]))
        return {
            "count": facets["total"],
            "in_stock": facets["in_stock"],
            "price": {"min": serializers.money(facets["price_min"]), "max": serializers.money(facets["price_max"])},
            "currency": region.currency if region else None,
            "brands": brands,
            "attributes": [
                {
                    "code": attribute.code,
                    "name": attribute.name,
                    "values": [
                        {"value": value, "label": label, "count": facets["choices"][choice_id]}
                        for choice_id, value, label in attribute.choices
                        if facets["choices"].get(choice_id)
                    ],
                }
                for attribute in attributes
                if any(facets["choices"].get(choice[0]) for choice in attribute.choices)
            ],
            # Границы ползунков: минимум и максимум числовых атрибутов у товаров под фильтром.
            "ranges": [
                {
                    "code": attribute.code,
                    "name": attribute.name,
                    "unit": attribute.unit,
                    "min": serializers.number(facets["numbers"][attribute.id][0]),
                    "max": serializers.number(facets["numbers"][attribute.id][1]),
                }
                for attribute in numbers
                if attribute.id in facets["numbers"]
            ],
        }


@extend_schema_view(
    get=schema.catalog_schema(
        operation_id="catalog_product_detail",
        summary="Карточка товара: варианты с ценами и остатками региона",
        response=schema.ProductDetailSchema,
        errors={404: schema.NOT_FOUND},
    )
)
@cdn_cacheable(keys=("catalog",), ids_prefix="product")
class ProductDetailApi(CatalogApi):
    """Карточка товара по slug: варианты с ценами и остатками региона.

    Товар, варианты и атрибуты — три запроса одним обращением к базе (selectors.product_card);
    изображения и их рендишены — ещё два, только если изображения есть.
    """

    cache_version_keys = (STOCK_VERSION_KEY,)

    def build(self, request, *, region, snapshot, slug):
        card = selectors.product_card(slug=slug, region_id=region.id if region else None)
        if card is None:
            raise CatalogNotFound(_("Товар не найден."))
        product, variants, attribute_rows = card
        images = (
            selectors.product_images(product_id=product["id"], specs=selectors.detail_image_specs())
            if product["has_images"]
            else []
        )
        product_attributes, variant_attributes = [], {}
        for row in attribute_rows:
            value = serializers.attribute_value_dict(snapshot, row)
            if value is None:
                continue
            if row["variant_id"] is None:
                product_attributes.append(value)
            else:
                variant_attributes.setdefault(row["variant_id"], []).append(value)
        prices = [serializers.variant_price(row) for row in variants]
        # Скидка каталога (commerce.promotions через price_hooks) — та же, что в списке и корзине.
        promo_label = price_hooks.variant_prices_adjust(
            region_id=region.id if region else None,
            product_id=product["id"],
            brand_id=product["brand_id"],
            variants=prices,
        )
        variant_items = [
            serializers.variant_dict(row, variant_attributes.get(row["id"], []), prices=price)
            for row, price in zip(variants, prices, strict=True)
        ]
        priced = [item for item in variant_items if item["price"] is not None]
        cheapest = min(priced, key=lambda item: (not item["is_available"], float(item["price"])), default=None)
        return {
            "id": product["id"],
            "slug": product["slug"],
            "name": product["name"],
            "description": product["description"],
            "seo": {"title": product["seo_title"] or product["name"], "description": product["seo_description"]},
            "brand": serializers.brand_dict(snapshot, product["brand_id"]),
            "breadcrumbs": [
                serializers.category_short(node) for node in snapshot.breadcrumbs(product["main_category_id"])
            ],
            "price": cheapest["price"] if cheapest else None,
            "old_price": cheapest["old_price"] if cheapest else None,
            "currency": (cheapest["currency"] if cheapest else None) or (region.currency if region else None),
            "is_available": any(item["is_available"] for item in variant_items),
            "promo_label": promo_label or None,
            # Единица и НДС — из 1С (БазоваяЕдиница, СтавкаНалога); пусто — штука и ставка магазина.
            "unit": {"code": product["unit_code"] or "796", "name": product["unit_name"] or _("шт")},
            "vat_rate": product["vat_rate"] or None,
            "attributes": product_attributes,
            "variants": variant_items,
            "images": [serializers.image_dict(item, renditions) for item, renditions in images],
            "updated_at": product["updated_at"].isoformat(),
        }
