"""Таблицы поиска товаров: поисковые документы (PostgreSQL) и слова названий для подсказок.

Поиск товаров — горячий путь, поэтому на бэкенде ``database`` с PostgreSQL он идёт не через
общую таблицу modelsearch (там товары лежат вперемешку со страницами и категориями, а
ранжируется каждое совпадение), а через свою узкую таблицу ``search_productsearchdocument``
с частичным GIN-индексом. Обе таблицы пересчитываются одним SQL-оператором на любое число
товаров (весь каталог — тоже одним), так что массовая загрузка не делает запрос на товар.

На SQLite (встроенный вариант `make run`) документов и лексем нет — товары ищет FTS5
modelsearch, — но слова названий ведутся и там: подсказка по началу каждого слова
(«смарт nova») одна на обеих базах.
"""

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction

from commerce.catalog.models import Product
from commerce.search.models import ProductNameWord
from commerce.search.normalization import NAME_WORD_MAX_LENGTH, name_words

DEFAULT_CONFIG = "megashop_russian"


def search_config():
    """Вернуть конфигурацию полнотекстового поиска PostgreSQL (SEARCH_CONFIG бэкенда по умолчанию)."""
    backends = settings.WAGTAILSEARCH_BACKENDS or {}
    return (backends.get("default") or {}).get("SEARCH_CONFIG") or DEFAULT_CONFIG


def search_table_enabled(connection=None):
    """Вернуть True, если товары ищутся по своей таблице (бэкенд database на PostgreSQL).

    На OpenSearch/Elasticsearch и на SQLite (`make run`) товары ищет modelsearch, как раньше.
    """
    connection = connection or default_connection
    return connection.vendor == "postgresql" and name_words_enabled()


def name_words_enabled():
    """Вернуть True, если подсказки по товарам идут по таблице слов названий (бэкенд database, любая база)."""
    return settings.SEARCH_BACKEND == "database"


def _where(product_ids):
    if product_ids is None:
        return "TRUE", []
    return "p.id = ANY(%s)", [list(product_ids)]


# Документ: A — название и артикулы активных вариантов, B — бренд и категории (основная и
# дополнительные), C — названия вариантов и значения атрибутов товара и вариантов, D — описание
# (HTML: теги парсер PostgreSQL отбрасывает сам). Строки вставляются по названию: при полном
# пересчёте товары одного типа («Смартфон …», «Ноутбук …») лежат в соседних блоках, и выдача
# по частому слову читает десятки блоков таблицы вместо тысяч. Точечные правки порядок
# постепенно размывают; его восстанавливает следующий update_index.
DOCUMENTS_SQL = """
INSERT INTO search_productsearchdocument (product_id, is_active, popularity, document)
SELECT p.id, p.is_active, p.popularity,
    setweight(to_tsvector(%(config)s::regconfig, p.name || ' ' || coalesce(variants.skus, '')), 'A')
    || setweight(to_tsvector(%(config)s::regconfig,
        coalesce(brand.name, '') || ' ' || coalesce(main_category.name, '') || ' '
        || coalesce(extra.names, '')), 'B')
    || setweight(to_tsvector(%(config)s::regconfig,
        coalesce(variants.names, '') || ' ' || coalesce(product_values.texts, '') || ' '
        || coalesce(variant_values.texts, '')), 'C')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce(p.description, '')), 'D')
FROM catalog_product AS p
LEFT JOIN catalog_brand AS brand ON brand.id = p.brand_id
LEFT JOIN catalog_category AS main_category ON main_category.id = p.main_category_id
LEFT JOIN LATERAL (
    SELECT string_agg(v.sku, ' ') AS skus, string_agg(v.name, ' ') AS names
    FROM catalog_variant AS v WHERE v.product_id = p.id AND v.is_active
) AS variants ON TRUE
LEFT JOIN LATERAL (
    SELECT string_agg(c.name, ' ') AS names
    FROM catalog_product_extra_categories AS pc JOIN catalog_category AS c ON c.id = pc.category_id
    WHERE pc.product_id = p.id
) AS extra ON TRUE
LEFT JOIN LATERAL (
    SELECT string_agg(concat_ws(' ', pav.value_text, choice.label), ' ') AS texts
    FROM catalog_productattributevalue AS pav
    LEFT JOIN catalog_attributechoice AS choice ON choice.id = pav.choice_id
    WHERE pav.product_id = p.id
) AS product_values ON TRUE
LEFT JOIN LATERAL (
    SELECT string_agg(concat_ws(' ', vav.value_text, choice.label), ' ') AS texts
    FROM catalog_variant AS v
    JOIN catalog_variantattributevalue AS vav ON vav.variant_id = v.id
    LEFT JOIN catalog_attributechoice AS choice ON choice.id = vav.choice_id
    WHERE v.product_id = p.id AND v.is_active
) AS variant_values ON TRUE
WHERE {where}
ORDER BY lower(p.name), p.id
"""

# Слова названия: строчными, ё→е (как query_normalize), разделители — всё, что не буква и не цифра.
WORDS_SQL = """
INSERT INTO search_productnameword (word, product_id, popularity)
SELECT DISTINCT left(split.word, 64), p.id, p.popularity
FROM catalog_product AS p,
    regexp_split_to_table(lower(translate(p.name, 'Ёё', 'Ее')), '[^[:alnum:]]+') AS split(word)
WHERE p.is_active AND split.word <> '' AND {where}
"""


# Лексемы документа с лучшим весом (A→0 … D→3); пишутся после документов из них же.
LEXEMES_SQL = """
INSERT INTO search_productlexeme (lexeme, product_id, weight_rank, popularity)
SELECT left(entry.lexeme, 200), d.product_id,
    (SELECT min(position(weight::text IN 'ABCD')) - 1 FROM unnest(entry.weights) AS weight),
    d.popularity
FROM search_productsearchdocument AS d, unnest(d.document) AS entry
WHERE d.is_active AND {where}
"""


def product_documents_refresh(*, product_ids=None, connection=None):
    """Пересчитать поисковые документы и слова названий товаров (всех, если product_ids не задан).

    Шесть SQL-операторов в одной транзакции на любое число товаров; удалённые товары
    пропадают из таблиц (их строк просто не вставляется). На других базах — только слова
    названий (_name_words_refresh). Возвращает число пересчитанных документов (товаров).
    """
    connection = connection or default_connection
    if product_ids is not None:
        product_ids = sorted({int(pk) for pk in product_ids if pk is not None})
        if not product_ids:
            return 0
    if connection.vendor != "postgresql":
        return _name_words_refresh(product_ids=product_ids, connection=connection)
    where, params = _where(product_ids)
    delete_where = "TRUE" if product_ids is None else "product_id = ANY(%s)"
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM search_productsearchdocument WHERE {delete_where}", params)  # noqa: S608
        cursor.execute(
            DOCUMENTS_SQL.replace("{where}", where.replace("%s", "%(ids)s")),
            {"config": search_config(), "ids": params[0] if params else None},
        )
        count = cursor.rowcount
        cursor.execute(f"DELETE FROM search_productnameword WHERE {delete_where}", params)  # noqa: S608
        cursor.execute(WORDS_SQL.replace("{where}", where), params)
        cursor.execute(f"DELETE FROM search_productlexeme WHERE {delete_where}", params)  # noqa: S608
        cursor.execute(LEXEMES_SQL.replace("{where}", where.replace("p.id", "d.product_id")), params)
    return count


def _name_words_refresh(*, product_ids, connection):
    """Пересчитать слова названий товаров переносимо (SQLite): прочитать названия, разбить в Python.

    Три запроса на любое число товаров: удалить слова, прочитать активные товары, вставить
    слова пачкой. Разбиение — normalization.name_words, то же, что у запроса подсказки.
    """
    with transaction.atomic(using=connection.alias):
        words = ProductNameWord.objects.using(connection.alias)
        products = Product.objects.using(connection.alias).filter(is_active=True)
        if product_ids is not None:
            words = words.filter(product_id__in=product_ids)
            products = products.filter(pk__in=product_ids)
        words.delete()
        items = list(products.values_list("pk", "name", "popularity"))
        ProductNameWord.objects.using(connection.alias).bulk_create(
            (
                ProductNameWord(word=word[:NAME_WORD_MAX_LENGTH], product_id=pk, popularity=popularity)
                for pk, name, popularity in items
                for word in dict.fromkeys(name_words(name))
            ),
            batch_size=500,
        )
    return len(items)


SEARCH_TABLES = ("search_productsearchdocument", "search_productnameword", "search_productlexeme")


def product_tables_vacuum(*, connection=None):
    """Выполнить VACUUM ANALYZE таблиц поиска товаров после полного пересчёта.

    Полный пересчёт заменяет все строки: без VACUUM индексы держат мёртвые записи, карта
    видимости пуста (нет index-only scan), а статистика устарела — подсказка и поиск по
    лексемам идут в разы медленнее, пока не придёт autovacuum. Вне транзакции.
    """
    connection = connection or default_connection
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for table in SEARCH_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
