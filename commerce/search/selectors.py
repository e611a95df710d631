"""Чтения поиска: товары (с ценой и наличием региона, как список каталога), категории, страницы,
подсказки и популярные запросы.

Полнотекстовую часть делает бэкенд поиска Wagtail (modelsearch) — на PostgreSQL это
русская конфигурация полнотекстового поиска, в OpenSearch — русский анализатор; код ниже от
бэкенда не зависит. Бэкенд отдаёт упорядоченные по релевантности id (не больше
SEARCH_MAX_RESULTS), а фильтры каталога, цена и наличие региона и страница выдачи — это
обычный SQL селекторов каталога поверх этих id. Так число SQL-запросов постоянно при любом
размере страницы, а фильтры поиска и каталога — одни и те же.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from commerce.catalog import offer_sql
from commerce.catalog import selectors as catalog_selectors
from commerce.catalog.models import Category, Product, Variant
from commerce.search.documents import name_words_enabled, search_config, search_table_enabled
from commerce.search.models import PopularQuery
from commerce.search.normalization import NAME_WORD_MAX_LENGTH, layout_switch, name_words

# Сырые SQL-чтения — с реплики, если представление это разрешило (core.db_routing).
from core.db_routing import read_connection as connection
from regions.selectors import page_queryset_for_region

RELEVANCE = offer_sql.RELEVANCE
# Ключи строки выдачи — как у списка каталога: поля строки и id главного изображения.
_PAGE_KEYS = (*offer_sql.OFFER_LIST_KEYS, "main_image_id")
SKU_MAX_LENGTH = 64


def max_results():
    """Вернуть предел числа товаров в выдаче (SEARCH_MAX_RESULTS)."""
    return settings.SEARCH_MAX_RESULTS


@dataclass
class ProductMatch:
    """Найденные товары: id по релевантности и запрос, который их нашёл."""

    ids: list = field(default_factory=list)
    query: str = ""
    corrected_query: str = ""


SUGGEST_MAX_TERMS = 5


def _tsquery_sql(terms, operator):
    """Вернуть SQL tsquery из слов и параметры: plainto_tsquery на каждое слово (без синтаксиса tsquery)."""
    if operator == "and":
        return "plainto_tsquery(%s::regconfig, %s)", [search_config(), " ".join(terms)]
    parts = " || ".join(["plainto_tsquery(%s::regconfig, %s)"] * len(terms))
    params = []
    for term in terms:
        params += [search_config(), term]
    return parts, params


def _table_fulltext_ids(*, query, operator, limit):
    """Найти товары в таблицах поиска — один запрос, LIMIT до выдачи.

    Запрос из одной лексемы (частый случай) — диапазон упорядоченного индекса лексем:
    лучший вес (A название/артикул … D описание), затем популярность; читается не больше
    limit записей индекса, сколько бы товаров ни совпало. Несколько лексем — GIN документа и
    ts_rank_cd только среди совпадений. Ветку выбирает сам PostgreSQL (одноразовый фильтр по
    числу лексем), поэтому это один SQL-оператор.
    """
    terms = query.split()
    if not terms:
        return []
    tsquery, params = _tsquery_sql(terms, operator)
    config = search_config()
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH words AS MATERIALIZED ("  # noqa: S608 — в строке только плейсхолдеры
            "  SELECT tsvector_to_array(to_tsvector(%s::regconfig, %s)) AS lexemes"
            f"), query AS MATERIALIZED (SELECT {tsquery} AS q) "
            "SELECT product_id FROM ("
            "  (SELECT l.product_id, l.weight_rank::float AS first_key, l.popularity"
            "   FROM search_productlexeme AS l"
            "   WHERE (SELECT cardinality(lexemes) FROM words) = 1"
            "     AND l.lexeme = (SELECT left(lexemes[1], 200) FROM words)"
            "   ORDER BY l.weight_rank, l.popularity DESC, l.product_id LIMIT %s)"
            "  UNION ALL"
            "  (SELECT d.product_id, -ts_rank_cd(d.document, query.q), d.popularity"
            "   FROM search_productsearchdocument AS d, query"
            "   WHERE (SELECT cardinality(lexemes) FROM words) <> 1"
            "     AND d.is_active AND d.document @@ query.q"
            "   ORDER BY ts_rank_cd(d.document, query.q) DESC, d.popularity DESC, d.product_id LIMIT %s)"
            ") AS found ORDER BY first_key, popularity DESC, product_id",
            [config, " ".join(terms), *params, limit, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _fulltext_ids(*, query, operator, limit):
    if search_table_enabled():
        return _table_fulltext_ids(query=query, operator=operator, limit=limit)
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


def product_search_page(*, ids, region_id, filters, sort, offset, limit):
    """Вернуть (число товаров, строки страницы) среди найденных ids под фильтром каталога — обычно один запрос.

    Строки — словари с ключами offer_sql.OFFER_LIST_KEYS и ``main_image_id``, как у списка
    каталога, чтобы их формировал тот же сериализатор. Фильтры — тот же язык (offer_sql), что и
    у списка, на любой базе и без региона.
    """
    if not ids:
        return 0, []
    return _offer_search_page(ids=ids, region_id=region_id, filters=filters, sort=sort, offset=offset, limit=limit)


def _found_sql(ids):
    """Вернуть (элемент FROM найденных id со столбцами product_id и position, параметры).

    position — место id в выдаче (порядок релевантности). На PostgreSQL — один параметр-массив
    (unnest WITH ORDINALITY), на SQLite — JSON-массив (json_each): текст запроса не растёт с
    числом найденных товаров.
    """
    if connection.vendor == "postgresql":
        return "unnest(%s::bigint[]) WITH ORDINALITY AS found(product_id, position)", [list(ids)]
    return (
        "(SELECT CAST(value AS INTEGER) AS product_id, key AS position FROM json_each(%s)) AS found",
        [json.dumps([int(pk) for pk in ids])],
    )


def _offer_search_page(*, ids, region_id, filters, sort, offset, limit, counted=False):
    """Страница выдачи из предложений региона (одна таблица; без региона — из товаров) — обычно один запрос.

    Найденные id приходят одним параметром (_found_sql, с позицией по релевантности), а не
    списком IN из тысячи параметров: разбор и план такого запроса стоили дороже самого чтения.
    Фильтры — SQL каталога (offer_sql). Число строк под фильтром — COUNT(*) OVER () в том же
    запросе; второй запрос только за страницей после конца выдачи.
    """
    if not counted and sort == RELEVANCE and filters == catalog_selectors.ProductFilter():
        # Без фильтров число найденных — len(ids): у каждого активного товара в каждом регионе
        # ровно одно предложение (ProductOffer), а без региона строка — сам товар. Читаются
        # только строки страницы, а не 1000.
        page_ids = ids[offset : offset + limit]
        if not page_ids:
            return len(ids), []
        _count, rows = _offer_search_page(
            ids=page_ids, region_id=region_id, filters=filters, sort=sort, offset=0, limit=limit, counted=True
        )
        return len(ids), rows
    inner, params = offer_sql.offer_select_sql(region_id=region_id, filters=filters)
    found, found_params = _found_sql(ids)
    joined = f"{found} JOIN ({inner}) AS offer ON offer.product_id = found.product_id"
    source = f"(SELECT offer.*, found.position FROM {joined})"  # noqa: S608 — имена и плейсхолдеры
    sql = offer_sql.offer_page_sql(source=source, sort=sort, total=True)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*found_params, *params, limit, offset])
        page = cursor.fetchall()
        if not page and offset:
            cursor.execute(f"SELECT COUNT(*) FROM {joined}", [*found_params, *params])  # noqa: S608 — плейсхолдеры
            return cursor.fetchone()[0], []
    if not page:
        return 0, []
    return page[0][-1], [dict(zip(_PAGE_KEYS, row[:-1], strict=True)) for row in page]


def _table_category_ids(*, query, limit):
    """Найти активные категории по названию с русской морфологией — один запрос.

    Категорий сотни-тысячи: tsvector названий считается на лету быстрее, чем поиск в общей
    таблице modelsearch, где рядом лежат 100 тыс. товаров.
    """
    terms = query.split()
    if not terms:
        return []
    tsquery, params = _tsquery_sql(terms, "or")
    config = search_config()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH query AS (SELECT {tsquery} AS q) "  # noqa: S608 — в строке только плейсхолдеры
            "SELECT c.id FROM catalog_category AS c, query "
            "WHERE c.is_active AND to_tsvector(%s::regconfig, c.name) @@ query.q "
            "ORDER BY ts_rank_cd(to_tsvector(%s::regconfig, c.name), query.q) DESC, c.path LIMIT %s",
            [*params, config, config, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def category_search(*, query, snapshot, limit):
    """Найти активные категории (без скрытых поддеревьев) по названию — один запрос."""
    if not query:
        return []
    if search_table_enabled():
        hits = [Category(pk=pk) for pk in _table_category_ids(query=query, limit=limit * 3)]
    else:
        backend = get_search_backend()
        hits = backend.search(query, Category.objects.filter(is_active=True).only("id"), operator="or")[: limit * 3]
    nodes = []
    for category in hits:
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


@dataclass
class SuggestedProduct:
    """Товар в подсказке."""

    pk: int
    slug: str
    name: str


def suggest_words(text):
    """Разбить текст на слова так, как они лежат в таблице слов названий (строчными, ё→е)."""
    return name_words(text)


def suggest_terms(query):
    """Вернуть слова запроса подсказки (не больше SUGGEST_MAX_TERMS)."""
    return suggest_words(query)[:SUGGEST_MAX_TERMS]


def _like_prefix(term):
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")[:NAME_WORD_MAX_LENGTH] + "%"


def _table_suggest_products(*, query, limit):
    """Найти товары по началу слов названия в таблице слов — один запрос.

    Последнее слово — начало (btree varchar_pattern_ops, диапазон по индексу без чтения
    таблицы), остальные тоже началом, но проверкой EXISTS по тому же индексу. Порядок —
    по популярности товара. SQL переносим: у SQLite экранирующего символа LIKE по умолчанию
    нет, и он задаётся явно (на PostgreSQL обратная косая черта — экранирующий по умолчанию).
    """
    terms = suggest_terms(query)
    if not terms:
        return []
    *others, last = terms
    escape = "" if connection.vendor == "postgresql" else " ESCAPE '\\'"
    conditions = "".join(
        f" AND EXISTS (SELECT 1 FROM search_productnameword AS o"  # noqa: S608 — только плейсхолдеры
        f" WHERE o.product_id = w.product_id AND o.word LIKE %s{escape})"
        for _ in others
    )
    with connection.cursor() as cursor:
        # Без GROUP BY: слова с одним началом у товара редки, поэтому берутся limit * 4 лучших
        # строк индекса и повторы товара отбрасываются здесь же (top-N sort вместо агрегации
        # всех совпадений).
        cursor.execute(
            "SELECT p.id, p.slug, p.name FROM ("  # noqa: S608 — в строке только плейсхолдеры
            "  SELECT w.product_id, w.popularity FROM search_productnameword AS w"
            f"  WHERE w.word LIKE %s{escape}{conditions}"
            "  ORDER BY w.popularity DESC, w.product_id LIMIT %s"
            ") AS top JOIN catalog_product AS p ON p.id = top.product_id AND p.is_active "
            "ORDER BY top.popularity DESC, top.product_id",
            [_like_prefix(last), *(_like_prefix(term) for term in others), limit * 4],
        )
        products, seen = [], set()
        for pk, slug, name in cursor.fetchall():
            if pk not in seen:
                seen.add(pk)
                products.append(SuggestedProduct(pk=pk, slug=slug, name=name))
        return products[:limit]


def suggest_products(*, query, limit):
    """Вернуть товары, в названии которых каждое слово query — начало какого-то слова, — один запрос.

    На бэкенде database (PostgreSQL и SQLite) — по таблице слов названий; автодополнение
    modelsearch на SQLite проверяет началом только последнее слово («смарт nova» не находил).
    """
    if name_words_enabled():
        return _table_suggest_products(query=query, limit=limit)
    backend = get_search_backend()
    queryset = Product.objects.filter(is_active=True).only("id", "slug", "name")
    return list(backend.autocomplete(query, queryset)[:limit])


def suggest_categories(*, query, snapshot, limit):
    """Вернуть активные категории по началу слова в названии — один запрос (на PostgreSQL — ни одного).

    На бэкенде database (PostgreSQL и SQLite) категории берутся из снимка каталога в памяти:
    их сотни, а начало слова проверяется в Python так же, как в таблице слов названий товаров.
    """
    if name_words_enabled():
        return _snapshot_suggest_categories(query=query, snapshot=snapshot, limit=limit)
    backend = get_search_backend()
    nodes = []
    for category in backend.autocomplete(query, Category.objects.filter(is_active=True).only("id"))[: limit * 3]:
        node = snapshot.categories_by_id.get(category.pk)
        if node is not None:
            nodes.append(node)
        if len(nodes) >= limit:
            break
    return nodes


# Начала слов названий и slug категорий снимка каталога: (снимок, узлы по порядку выдачи,
# {начало слова: номера узлов}). Снимок неизменяем и заменяется целиком при смене версии
# каталога, поэтому ключ — сам объект; подсказка не перебирает все категории на каждый запрос.
_category_prefix_cache = (None, [], {})


def _category_prefixes(snapshot):
    global _category_prefix_cache
    cached_snapshot, nodes, prefixes = _category_prefix_cache
    if cached_snapshot is not snapshot:
        nodes = sorted(snapshot.categories_by_id.values(), key=lambda item: (item.depth, item.name, item.id))
        prefixes = {}
        for position, node in enumerate(nodes):
            for word in set(suggest_words(f"{node.name} {node.slug}")):
                for length in range(1, len(word) + 1):
                    positions = prefixes.setdefault(word[:length], [])
                    if not positions or positions[-1] != position:
                        positions.append(position)
        _category_prefix_cache = (snapshot, nodes, prefixes)
    return nodes, prefixes


def _snapshot_suggest_categories(*, query, snapshot, limit):
    terms = suggest_terms(query)
    if not terms:
        return []
    nodes, prefixes = _category_prefixes(snapshot)
    matched = None
    for term in terms:
        positions = set(prefixes.get(term, ()))
        matched = positions if matched is None else matched & positions
        if not matched:
            return []
    return [nodes[position] for position in sorted(matched)[:limit]]


def popular_queries(*, region_code, prefix="", limit=10):
    """Вернуть популярные запросы региона (по убыванию числа поисков), при prefix — начинающиеся с него."""
    queryset = PopularQuery.objects.filter(region_code=region_code)
    if prefix:
        queryset = queryset.filter(query__startswith=prefix)
    return list(queryset.order_by("-searches", "query").values("query", "searches")[:limit])
