"""Язык фильтров витрины: SQL предложений региона под фильтром — список, фасеты, поиск, карточки блога.

Единственное определение фильтров и сортировок списка товаров: каждый путь, который читает
товары под фильтром (список каталога, фасеты, выдача поиска, карточки товаров в блоге), строит
условия здесь. Второго, ORM-варианта нет — поэтому фильтр, добавленный только в одном месте,
не может разойтись с другим (tests/commerce/catalog/test_filter_language.py прогоняет каждое
поле ProductFilter по всем путям и сравнивает с ожидаемым набором).

Строка списка — одна строка catalog_productoffer (см. ProductOffer), поэтому фильтр — это
условия на её столбцы и индексные полусоединения по product_id. Без региона (регионов нет
вовсе) источник строк — сами товары с пустыми ценой и наличием (PRODUCTS_AS_OFFERS_SQL), а
условия те же. Условия собираются здесь строкой SQL с плейсхолдерами: построение того же
фильтра через ORM стоило на каждом запросе больше, чем его выполнение в PostgreSQL (профиль
списка: ~0,6 мс ORM против ~0,4 мс SQL). Все значения — параметры, в текст SQL попадают
только имена столбцов и плейсхолдеры. SQL переносим (PostgreSQL и SQLite ≥ 3.35 для ``make run``).
"""

from commerce.catalog.indexing import sql_in

# Столбцы предложения для строки списка и ключи словаря строки (их ждёт serializers.product_list_item).
OFFER_LIST_COLUMNS = (
    "product_id",
    "slug",
    "name",
    "brand_id",
    "price",
    "old_price",
    "currency",
    "in_stock",
    "discount_label",
)
OFFER_LIST_KEYS = (
    "id",
    "slug",
    "name",
    "brand_id",
    "offer__price",
    "offer__old_price",
    "offer__currency",
    "offer__in_stock",
    "offer__discount_label",
)
# Столбцы, по которым сортируется список (нужны во внутренней выборке для ORDER BY снаружи).
OFFER_SORT_COLUMNS = ("popularity", "created_at")

# Сортировка выдачи поиска: порядок найденных поиском id (столбец position источника выдачи).
RELEVANCE = "relevance"

# Порядок строк списка: при равенстве — id товара, чтобы страницы не теряли и не повторяли строк.
OFFER_SORTS = {
    "relevance": "{o}position",
    "popular": "{o}popularity DESC, {o}product_id",
    "price": "{o}price ASC NULLS LAST, {o}product_id",
    "-price": "{o}price DESC NULLS LAST, {o}product_id",
    "name": "{o}name, {o}product_id",
    "-name": "{o}name DESC, {o}product_id",
    "new": "{o}created_at DESC, {o}product_id DESC",
    # Размер скидки — доля от старой цены (товары без скидки — в конце). «* 1.0»: SQLite хранит
    # круглые цены целыми и делил бы нацело.
    "discount": (
        "CASE WHEN {o}old_price > {o}price THEN ({o}old_price - {o}price) * 1.0 / {o}old_price END"
        " DESC NULLS LAST,"
        " {o}product_id"
    ),
}
# Сортировки списка каталога (выдача поиска принимает ещё и RELEVANCE).
LIST_SORTS = tuple(sort for sort in OFFER_SORTS if sort != RELEVANCE)
DEFAULT_SORT = "popular"

# Источник строк без региона: каждый товар — «предложение» без цены и наличия (показан
# недоступным). Столбцы — те же, что у catalog_productoffer, поэтому фильтр и сортировки одни.
PRODUCTS_AS_OFFERS_SQL = (
    "(SELECT p.id AS product_id, p.slug, p.name, p.brand_id, p.is_active, p.popularity, p.created_at,"
    " CAST(NULL AS NUMERIC) AS price, CAST(NULL AS NUMERIC) AS old_price,"
    " CAST(NULL AS VARCHAR(3)) AS currency, CAST(NULL AS BOOLEAN) AS in_stock, '' AS discount_label"
    " FROM catalog_product AS p)"
)

# Главное изображение товара (первое по порядку) — скалярный подзапрос для строк страницы.
MAIN_IMAGE_SQL = (
    "(SELECT pi.id FROM catalog_productimage AS pi WHERE pi.product_id = {column}"
    " ORDER BY pi.sort_order, pi.id LIMIT 1)"
)


def offer_order_sql(sort, alias=""):
    """ORDER BY для сортировки списка по столбцам предложения (alias — псевдоним таблицы или выборки)."""
    return OFFER_SORTS[sort].format(o=f"{alias}." if alias else "")


def offer_page_sql(*, source, sort, total):
    """Запрос страницы (плейсхолдеры LIMIT и OFFSET — последние): строки источника по порядку sort.

    source — элемент FROM (имя CTE или подзапрос в скобках) со столбцами OFFER_LIST_COLUMNS и
    столбцами сортировки. Строка ответа — OFFER_LIST_COLUMNS, id главного изображения и, если
    total, число строк источника (COUNT(*) OVER ()). Изображение ищется снаружи LIMIT: иначе
    PostgreSQL выполнил бы подзапрос для каждой строки категории, а не только для строк страницы.
    """
    counted = ", COUNT(*) OVER () AS total" if total else ""
    columns = ", ".join(f"page.{column}" for column in OFFER_LIST_COLUMNS)
    image = MAIN_IMAGE_SQL.format(column="page.product_id")
    return (
        f"SELECT {columns}, {image}{', page.total' if total else ''} FROM ("  # noqa: S608 — имена и плейсхолдеры
        f"SELECT s.*{counted} FROM {source} AS s ORDER BY {offer_order_sql(sort, 's')} LIMIT %s OFFSET %s"
        f") AS page ORDER BY {offer_order_sql(sort, 'page')}"
    )


def _attribute_exists_sql(attribute_id, condition, params):
    """EXISTS значения атрибута у товара или у его активного варианта с условием на значение.

    condition — SQL с плейсхолдерами и ``{t}`` вместо псевдонима таблицы значений.
    """
    sql = (
        "(EXISTS (SELECT 1 FROM catalog_productattributevalue AS pav"  # noqa: S608 — только имена и плейсхолдеры
        f" WHERE pav.product_id = o.product_id AND pav.attribute_id = %s AND {condition.format(t='pav')})"
        " OR EXISTS (SELECT 1 FROM catalog_variantattributevalue AS vav"
        " JOIN catalog_variant AS v ON v.id = vav.variant_id"
        f" WHERE v.product_id = o.product_id AND v.is_active AND vav.attribute_id = %s"
        f" AND {condition.format(t='vav')}))"
    )
    return sql, [attribute_id, *params, attribute_id, *params]


def offer_source_sql(region_id):
    """Вернуть элемент FROM строк списка: предложения региона или, без региона, сами товары."""
    return "catalog_productoffer" if region_id is not None else PRODUCTS_AS_OFFERS_SQL


def offer_where_sql(*, region_id, filters, product_ids=None, by_category=False):
    """Вернуть (условие WHERE, параметры) для строк ``offer_source_sql(region_id) AS o`` под фильтром.

    Смысл фильтров (selectors.ProductFilter): категория — с подкатегориями (индекс категорий);
    значения атрибута-списка внутри группы — «или», между группами — «и»; число и флаг — у
    товара или у любого его активного варианта; цена и наличие — из предложения региона (без
    региона их нет, и такие фильтры не оставляют ни одной строки). product_ids — только эти
    товары (карточки блога), None — все. by_category — строки ``catalog_categoryoffer AS o``
    (CATEGORY_OFFERS_SQL; нужны регион и категория): в них только активные товары, а категория —
    первый столбец ключа, так что условие на неё — просмотр диапазона индекса, а не полусоединение.
    """
    if by_category:
        conditions, params = ["o.category_id = %s", "o.region_id = %s"], [filters.category_id, region_id]
    else:
        conditions, params = ["o.is_active"], []
    if region_id is not None and not by_category:
        conditions.insert(0, "o.region_id = %s")
        params.append(region_id)
    if product_ids is not None:
        condition, values = sql_in("o.product_id", product_ids)
        conditions.append(condition)
        params.extend(values)
    if filters.category_id is not None and not by_category:
        conditions.append(
            "o.product_id IN (SELECT pci.product_id FROM catalog_productcategoryindex AS pci"
            " WHERE pci.category_id = %s)"
        )
        params.append(filters.category_id)
    if filters.brand_ids:
        condition, values = sql_in("o.brand_id", filters.brand_ids)
        conditions.append(condition)
        params.extend(values)
    for group in filters.choice_groups:
        if not group:
            conditions.append("1 = 0")
            continue
        condition, values = sql_in("pchi.choice_id", group)
        conditions.append(
            f"o.product_id IN (SELECT pchi.product_id FROM catalog_productchoiceindex AS pchi WHERE {condition})"  # noqa: S608
        )
        params.extend(values)
    for attribute_id, minimum, maximum in filters.number_ranges:
        parts, values = ["1 = 1"], []
        if minimum is not None:
            parts.append("{t}.value_number >= %s")
            values.append(minimum)
        if maximum is not None:
            parts.append("{t}.value_number <= %s")
            values.append(maximum)
        condition, values = _attribute_exists_sql(attribute_id, " AND ".join(parts), values)
        conditions.append(condition)
        params.extend(values)
    for attribute_id, flag in filters.booleans:
        condition, values = _attribute_exists_sql(attribute_id, "{t}.value_boolean = %s", [flag])
        conditions.append(condition)
        params.extend(values)
    if filters.price_min is not None:
        conditions.append("o.price >= %s")
        params.append(filters.price_min)
    if filters.price_max is not None:
        conditions.append("o.price <= %s")
        params.append(filters.price_max)
    if filters.in_stock:
        conditions.append("o.in_stock")
    if filters.has_discount:
        # Со скидкой — есть зачёркнутая цена выше текущей (скидка каталога или ручная старая цена).
        conditions.append("o.old_price > o.price")
    return " AND ".join(conditions), params


# Строки списка категории (catalog.CategoryOffer): только активные товары, ключ — (категория, регион).
CATEGORY_OFFERS_SQL = "catalog_categoryoffer"
# Столбцы CategoryOffer, которые читает страница категории (остальное — из ProductOffer по ключу).
CATEGORY_PAGE_COLUMNS = ("product_id", "name", "brand_id", "price", "in_stock", "popularity", "created_at")


# Чего в CategoryOffer нет: старой цены (фильтр «со скидкой», сортировка по скидке) — такие
# запросы категории читают предложения региона (ProductOffer), как без категории.
CATEGORY_TABLE_UNSUPPORTED_SORTS = frozenset({"discount"})


def category_table_serves(*, region_id, filters, sort=None):
    """Может ли выборку категории дать CategoryOffer (регион и категория заданы, нужные столбцы в нём есть)."""
    return (
        region_id is not None
        and filters.category_id is not None
        and not filters.has_discount
        and sort not in CATEGORY_TABLE_UNSUPPORTED_SORTS
    )


def category_page_sql(*, where, sort, count_sql):
    """Запрос страницы категории по CategoryOffer: диапазон индекса до LIMIT, затем поля строк страницы.

    Плейсхолдеры по порядку: параметры count_sql, параметры where, LIMIT, OFFSET, регион
    (соединение строк страницы с ProductOffer за slug, старой ценой и валютой). Строка ответа —
    OFFER_LIST_COLUMNS, id главного изображения и число строк (count_sql — скалярный подзапрос).
    """
    inner = ", ".join(f"o.{column}" for column in CATEGORY_PAGE_COLUMNS)
    image = MAIN_IMAGE_SQL.format(column="page.product_id")
    return (
        "SELECT page.product_id, po.slug, page.name, page.brand_id, page.price, po.old_price, po.currency,"  # noqa: S608
        f" page.in_stock, po.discount_label, {image}, {count_sql} FROM ("
        f"SELECT {inner} FROM {CATEGORY_OFFERS_SQL} AS o WHERE {where}"
        f" ORDER BY {offer_order_sql(sort, 'o')} LIMIT %s OFFSET %s"
        ") AS page JOIN catalog_productoffer AS po ON po.product_id = page.product_id AND po.region_id = %s"
        f" ORDER BY {offer_order_sql(sort, 'page')}"
    )


def offer_select_sql(*, region_id, filters, columns=OFFER_LIST_COLUMNS + OFFER_SORT_COLUMNS, product_ids=None):
    """Вернуть (SELECT столбцов предложений под фильтром, параметры) — для вложения в запрос страницы."""
    where, params = offer_where_sql(region_id=region_id, filters=filters, product_ids=product_ids)
    selected = ", ".join(f"o.{column}" for column in columns)
    source = offer_source_sql(region_id)
    return f"SELECT {selected} FROM {source} AS o WHERE {where}", params  # noqa: S608 — только плейсхолдеры
