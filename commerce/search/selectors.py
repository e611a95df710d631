"""Чтения поиска: товары (с ценой и наличием региона, как список каталога), категории, страницы,
подсказки и популярные запросы.

Полнотекстовую часть делает бэкенд поиска Wagtail (modelsearch) — на PostgreSQL это
русская конфигурация полнотекстового поиска, в OpenSearch — русский анализатор; код ниже от
бэкенда не зависит. Бэкенд отдаёт упорядоченные по релевантности id (не больше
SEARCH_MAX_RESULTS), а фильтры каталога, цена и наличие региона и страница выдачи — это
обычный SQL селекторов каталога поверх этих id. Так число SQL-запросов постоянно при любом
размере страницы, а фильтры поиска и каталога — одни и те же.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, Case, F, Func, IntegerField, Value, When
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from commerce.catalog import selectors as catalog_selectors
from commerce.catalog.models import Category, Product, Variant
from commerce.search.models import PopularQuery
from commerce.search.normalization import layout_switch

RELEVANCE = "relevance"
SKU_MAX_LENGTH = 64


def max_results():
    """Вернуть предел числа товаров в выдаче (SEARCH_MAX_RESULTS)."""
    return getattr(settings, "SEARCH_MAX_RESULTS", 1000)


@dataclass
class ProductMatch:
    """Найденные товары: id по релевантности и запрос, который их нашёл."""

    ids: list = field(default_factory=list)
    query: str = ""
    corrected_query: str = ""


def _fulltext_ids(*, query, operator, limit):
    backend = get_search_backend()
    results = backend.search(query, Product.objects.filter(is_active=True).only("id"), operator=operator)
    return [product.pk for product in results[:limit]]


def product_ids_by_sku(*, raw_query):
    """Вернуть id активных товаров, у которых артикул варианта совпал с запросом целиком — один запрос.

    Сравнение по уникальному индексу артикула: как набрано, заглавными и строчными.
    """
    text = (raw_query or "").strip()
    if not text or len(text) > SKU_MAX_LENGTH or " " in text:
        return []
    candidates = {text, text.upper(), text.lower()}
    return list(
        Variant.objects.filter(sku__in=candidates, is_active=True, product__is_active=True)
        .order_by("product_id")
        .values_list("product_id", flat=True)
        .distinct()
    )


def product_search_ids(*, raw_query, query):
    """Найти товары: точный артикул первым, затем полнотекстовый поиск по релевантности.

    Если все слова вместе ничего не нашли, ищется любое из слов; если и так пусто — тот же
    запрос в другой раскладке («yjen,er» → «ноутбук»), и тогда ``corrected_query`` непуст.
    """
    limit = max_results()
    sku_ids = product_ids_by_sku(raw_query=raw_query)
    if not query:
        return ProductMatch(ids=sku_ids[:limit], query=query)
    ids = _fulltext_ids(query=query, operator="and", limit=limit)
    if not ids and " " in query:
        ids = _fulltext_ids(query=query, operator="or", limit=limit)
    corrected = ""
    if not ids and not sku_ids:
        switched = layout_switch(raw_query)
        if switched:
            ids = _fulltext_ids(query=switched, operator="and", limit=limit)
            if ids:
                corrected = switched
    seen = set(sku_ids)
    ordered = list(sku_ids) + [pk for pk in ids if pk not in seen]
    return ProductMatch(ids=ordered[:limit], query=query, corrected_query=corrected)


def _position_of(ids):
    """Выражение «позиция id товара в списке ids» для сортировки по релевантности."""
    if connection.vendor == "postgresql":
        return Func(
            Value(list(ids), output_field=ArrayField(BigIntegerField())),
            F("id"),
            function="array_position",
            output_field=IntegerField(),
        )
    return Case(*(When(id=pk, then=Value(position)) for position, pk in enumerate(ids)), output_field=IntegerField())


def product_search_page(*, ids, region_id, filters, sort, offset, limit):
    """Вернуть (число товаров, строки страницы) среди найденных ids под фильтром каталога — два запроса.

    Строки — словари с полями catalog.selectors.LIST_FIELDS (цена и наличие региона), чтобы
    их формировал тот же сериализатор, что и список каталога.
    """
    if not ids:
        return 0, []
    queryset = catalog_selectors.product_queryset_filtered(region_id=region_id, filters=filters).filter(id__in=ids)
    count = queryset.count()
    if offset >= count:
        return count, []
    ordering = (_position_of(ids).asc(), F("id").asc()) if sort == RELEVANCE else catalog_selectors.PRODUCT_SORTS[sort]
    rows = list(queryset.order_by(*ordering).values(*catalog_selectors.LIST_FIELDS)[offset : offset + limit])
    return count, rows


def category_search(*, query, snapshot, limit):
    """Найти активные категории (без скрытых поддеревьев) по названию — один запрос."""
    if not query:
        return []
    backend = get_search_backend()
    hits = backend.search(query, Category.objects.filter(is_active=True).only("id"), operator="or")
    nodes = []
    for category in hits[: limit * 3]:
        node = snapshot.categories_by_id.get(category.pk)
        if node is not None:
            nodes.append(node)
        if len(nodes) >= limit:
            break
    return nodes


def page_search(*, query, region, limit):
    """Найти опубликованные общедоступные страницы региона (с запасными страницами региона по умолчанию).

    Постоянное число запросов: поиск, домашние страницы регионов, выборка страниц.
    """
    if not query:
        return []
    from regions.selectors import page_queryset_for_region

    locale = Locale.get_active()
    backend = get_search_backend()
    hits = backend.search(query, Page.objects.live().filter(locale=locale).only("id"), operator="or")
    hit_ids = [page.pk for page in hits[: limit * 5]]
    if not hit_ids:
        return []
    allowed = page_queryset_for_region(
        queryset=Page.objects.live().public().filter(pk__in=hit_ids), region=region, locale=locale
    )
    pages = {page.pk: page for page in allowed.select_related("content_type")}
    return [pages[pk] for pk in hit_ids if pk in pages][:limit]


def suggest_products(*, query, limit):
    """Вернуть товары, в названии которых есть слово с началом query (по релевантности) — один запрос."""
    backend = get_search_backend()
    queryset = Product.objects.filter(is_active=True).only("id", "slug", "name")
    return list(backend.autocomplete(query, queryset)[:limit])


def suggest_categories(*, query, snapshot, limit):
    """Вернуть активные категории по началу слова в названии — один запрос."""
    backend = get_search_backend()
    nodes = []
    for category in backend.autocomplete(query, Category.objects.filter(is_active=True).only("id"))[: limit * 3]:
        node = snapshot.categories_by_id.get(category.pk)
        if node is not None:
            nodes.append(node)
        if len(nodes) >= limit:
            break
    return nodes


def popular_queries(*, region_code, prefix="", limit=10):
    """Вернуть популярные запросы региона (по убыванию числа поисков), при prefix — начинающиеся с него."""
    queryset = PopularQuery.objects.filter(region_code=region_code)
    if prefix:
        queryset = queryset.filter(query__startswith=prefix)
    return list(queryset.order_by("-searches", "query").values("query", "searches")[:limit])
