"""Экспорт каталога в файл формата обмена (sheet_format): потоковая запись и задания экспорта.

Половина обмена, которая только читает каталог: один SQL-запрос на весь каталог (строка — вариант),
листы справочников и журнал ExportJob. Импорт — commerce.exchange.services.
"""

import tempfile
import time

from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from commerce.catalog.indexing import sql_in
from commerce.catalog.models import (
    Attribute,
    AttributeChoice,
    AttributeType,
    Category,
    Product,
    ProductAttributeValue,
    ProductCategoryIndex,
    VariantAttributeValue,
)
from commerce.exchange import sheet_format
from commerce.exchange.db_session import bulk_session_tune
from commerce.exchange.lookups import CatalogLookup
from commerce.exchange.models import ExportJob, ExportStatus
from commerce.exchange.progress import progress_set
from commerce.exchange.writers import table_writer


def export_columns(lookup, *, region=None, variant_attribute_ids=(), product_attribute_ids=()):
    """Собрать столбцы экспорта: фиксированные, атрибуты, цены и остатки (по региону, если задан)."""
    price_lists = [
        row for row in lookup.price_lists.values() if region is None or row["region_id"] in (None, region.pk)
    ]
    warehouses = [row for row in lookup.warehouses.values() if region is None or row["region_id"] == region.pk]
    attributes = lookup.attributes_by_id
    variant_attrs = sorted((attributes[pk] for pk in variant_attribute_ids), key=lambda row: row["code"])
    product_attrs = sorted((attributes[pk] for pk in product_attribute_ids), key=lambda row: row["code"])
    titles = list(sheet_format.FIXED_COLUMNS)
    titles += [sheet_format.PRODUCT_ATTR_PREFIX + row["code"] for row in product_attrs]
    titles += [sheet_format.ATTR_PREFIX + row["code"] for row in variant_attrs]
    for row in sorted(price_lists, key=lambda item: (item["region_id"] is not None, item["code"])):
        titles += [sheet_format.PRICE_PREFIX + row["code"], sheet_format.OLD_PRICE_PREFIX + row["code"]]
    titles += [sheet_format.STOCK_PREFIX + row["code"] for row in sorted(warehouses, key=lambda item: item["code"])]
    return titles, price_lists, warehouses, variant_attrs, product_attrs


def export_write(*, fileobj, file_format="xlsx", category=None, region=None, chunk_rows=5000, on_progress=None):
    """Записать каталог в файл формата обмена потоком; вернуть число строк.

    Один запрос на весь каталог через серверный курсор (строки приходят по chunk_rows):
    цены и остатки разворачиваются в столбцы агрегатом с FILTER, атрибуты — соединениями,
    числа и значения атрибутов форматирует сама база (цены — с двумя знаками, числа атрибутов —
    без лишних нулей: _money_text, _number_text), так что на строку в Python остаются только
    подстановка категории и бренда и запись ячеек.
    Память не растёт с размером каталога. В XLSX после каталога пишутся листы categories
    и attributes (их читает импорт); в CSV помещается только лист каталога.

    Args:
        category: только товары этой категории и её подкатегорий.
        region: только прайс-листы (базовый и региона) и склады этого региона.
    """

    lookup = CatalogLookup()
    product_filter, filter_params = "TRUE", []
    if category is not None:
        product_filter = "p.id IN (SELECT product_id FROM catalog_productcategoryindex WHERE category_id = %s)"
        filter_params = [category.pk]
        products = Product.objects.filter(
            pk__in=ProductCategoryIndex.objects.filter(category_id=category.pk).values("product_id")
        )
        variant_values = VariantAttributeValue.objects.filter(variant__product__in=products)
        product_values = ProductAttributeValue.objects.filter(product__in=products)
    else:
        variant_values = VariantAttributeValue.objects.all()
        product_values = ProductAttributeValue.objects.all()
    variant_attribute_ids = list(variant_values.values_list("attribute_id", flat=True).distinct())
    product_attribute_ids = list(product_values.values_list("attribute_id", flat=True).distinct())
    titles, price_lists, warehouses, variant_attrs, product_attrs = export_columns(
        lookup, region=region, variant_attribute_ids=variant_attribute_ids, product_attribute_ids=product_attribute_ids
    )
    list_ids = [
        row["id"] for row in sorted(price_lists, key=lambda item: (item["region_id"] is not None, item["code"]))
    ]
    warehouse_ids = [row["id"] for row in sorted(warehouses, key=lambda item: item["code"])]
    sql, params = _export_sql(product_filter, list_ids, warehouse_ids, variant_attrs, product_attrs)
    numeric = set(range(len(sheet_format.FIXED_COLUMNS) + len(product_attrs) + len(variant_attrs), len(titles)))
    writer = table_writer(fileobj, file_format=file_format)
    writer.sheet(sheet_format.MAIN_SHEET, titles, numeric_columns=numeric)
    category_paths, brand_names = lookup.category_paths, lookup.brand_names
    started = time.monotonic()
    count = 0
    write = writer.row
    # Серверный курсор внутри транзакции (без WITH HOLD) и настройки обмена на её время.
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        bulk_session_tune()
        cursor.execute(sql, [*params, *filter_params])
        while rows := cursor.fetchmany(chunk_rows):
            for row in rows:
                values = list(row)
                # category и brand приходят id: путь и название — из справочников в памяти.
                values[5] = category_paths.get(values[5])
                values[6] = brand_names.get(values[6])
                write(values)
            count += len(rows)
            if on_progress:
                on_progress(count, count / max(time.monotonic() - started, 1e-6))
    if file_format != "csv":
        reference_sheets_write(writer, lookup)
    writer.close()
    return count


def _export_sql(product_filter, list_ids, warehouse_ids, variant_attrs, product_attrs):
    """Собрать запрос экспорта: одна строка на вариант, столбцы в порядке export_columns."""
    params = []
    select = [
        "v.sku",
        "v.barcode",
        "NULLIF(v.name, '')",
        "p.slug",
        "p.name",
        "p.main_category_id",
        "p.brand_id",
        "NULLIF(p.description, '')",
    ]
    joins = []
    for number, (attribute, owner) in enumerate(
        [*((row, "product") for row in product_attrs), *((row, "variant") for row in variant_attrs)]
    ):
        alias = f"a{number}"
        table = "catalog_productattributevalue" if owner == "product" else "catalog_variantattributevalue"
        owner_id = "p.id" if owner == "product" else "v.id"
        joins.append(f"LEFT JOIN {table} AS {alias} ON {alias}.{owner}_id = {owner_id} AND {alias}.attribute_id = %s")
        params.append(attribute["id"])
        kind = attribute["type"]
        if kind == AttributeType.CHOICE:
            joins.append(f"LEFT JOIN catalog_attributechoice AS c{number} ON c{number}.id = {alias}.choice_id")
            select.append(f"c{number}.value")
        elif kind == AttributeType.NUMBER:
            select.append(_number_text(f"{alias}.value_number"))
        elif kind == AttributeType.BOOLEAN:
            select.append(f"CASE {alias}.value_boolean WHEN TRUE THEN 'да' WHEN FALSE THEN 'нет' END")
        else:
            select.append(f"NULLIF({alias}.value_text, '')")
    pivot_params = []
    if list_ids:
        columns = []
        for number, list_id in enumerate(list_ids):
            columns += [
                f"max(price) FILTER (WHERE price_list_id = %s) AS p{number}",
                f"max(old_price) FILTER (WHERE price_list_id = %s) AS o{number}",
            ]
            pivot_params += [list_id, list_id]
            select += [_money_text(f"pr.p{number}"), _money_text(f"pr.o{number}")]
        lists_where, lists_params = sql_in("price_list_id", list_ids)
        joins.append(
            f"LEFT JOIN (SELECT variant_id, {', '.join(columns)} FROM pricing_variantprice "  # noqa: S608
            f"WHERE {lists_where} GROUP BY variant_id) AS pr ON pr.variant_id = v.id"
        )
        pivot_params += lists_params
    if warehouse_ids:
        columns = []
        for number, warehouse_id in enumerate(warehouse_ids):
            columns.append(f"max(quantity) FILTER (WHERE warehouse_id = %s) AS s{number}")
            pivot_params.append(warehouse_id)
            select.append(f"CAST(st.s{number} AS TEXT)")
        warehouses_where, warehouses_params = sql_in("warehouse_id", warehouse_ids)
        joins.append(
            f"LEFT JOIN (SELECT variant_id, {', '.join(columns)} FROM inventory_stock "  # noqa: S608
            f"WHERE {warehouses_where} GROUP BY variant_id) AS st ON st.variant_id = v.id"
        )
        pivot_params += warehouses_params
    # Параметры — в порядке появления в тексте: соединения атрибутов, затем развороты цен и остатков.
    sql = (
        f"SELECT {', '.join(select)} FROM catalog_variant AS v "  # noqa: S608 — имена из кода, значения — параметры
        f"JOIN catalog_product AS p ON p.id = v.product_id {' '.join(joins)} "
        f"WHERE {product_filter} ORDER BY p.name, p.id, v.sort_order, v.id"
    )
    return sql, [*params, *pivot_params]


def _number_text(expression):
    """Вернуть SQL числа атрибута текстом без лишних нулей справа: 15.6000 → «15.6», 100.0000 → «100».

    Единственное место, где текст экспорта зависит от базы. PostgreSQL хранит numeric с масштабом
    столбца, и нули снимает trim_scale; SQLite хранит NUMERIC как целое или REAL без хвостовых
    нулей, и CAST AS TEXT уже даёт тот же текст.
    """
    if connection.vendor == "postgresql":
        return f"trim_scale({expression})::text"
    return f"CAST({expression} AS TEXT)"


def _money_text(expression):
    """Вернуть SQL цены текстом с двумя знаками после точки: «1500.50» (на любой базе)."""
    if connection.vendor == "postgresql":
        return f"CAST({expression} AS TEXT)"
    # SQLite хранит 1500.50 как REAL 1500.5; printf от NULL дал бы «0.00», поэтому CASE.
    return f"CASE WHEN {expression} IS NULL THEN NULL ELSE printf('%%.2f', {expression}) END"


def reference_sheets_write(writer, lookup):
    """Дописать листы справочников: categories (путь, slug) и attributes (код, название, тип, значения).

    Импорт читает их до листа каталога: так файл переносит и дерево категорий, и атрибуты
    со значениями списков (см. reference_sheets_import).
    """

    writer.sheet(sheet_format.CATEGORIES_SHEET, list(sheet_format.CATEGORY_SHEET_COLUMNS))
    slugs = dict(Category.objects.values_list("id", "slug"))
    for category_id, path in sorted(lookup.category_paths.items(), key=lambda item: item[1]):
        writer.row([path, slugs.get(category_id)])
    writer.sheet(sheet_format.ATTRIBUTES_SHEET, list(sheet_format.ATTRIBUTE_SHEET_COLUMNS))
    choices = {}
    for attribute_id, value, label in AttributeChoice.objects.order_by("sort_order", "id").values_list(
        "attribute_id", "value", "label"
    ):
        choices.setdefault(attribute_id, []).append(value if value == label else f"{value}={label}")
    for attribute in Attribute.objects.order_by("code").values("id", "code", "name", "type"):
        writer.row(
            [
                attribute["code"],
                attribute["name"],
                attribute["type"],
                sheet_format.CHOICE_SEPARATOR.join(choices.get(attribute["id"], [])) or None,
            ]
        )


def export_job_create(*, user, file_format="xlsx", category=None, region=None, enqueue=True):
    """Создать задание экспорта и поставить его в очередь."""
    job = ExportJob.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        file_format=file_format,
        category=category,
        region=region,
    )
    if enqueue:
        from commerce.exchange.tasks import export_task  # tasks импортирует export: цикл

        transaction.on_commit(lambda: export_task.delay(job.pk))
    return job


def export_run(*, job):
    """Выполнить экспорт задания в файл и сохранить его в журнале."""
    job.status = ExportStatus.RUNNING
    job.save(update_fields=["status"])
    started = time.monotonic()

    def on_progress(rows, rows_per_second):
        progress_set(
            kind="export", job_id=job.pk, percent=0, rows=rows, rows_per_second=rows_per_second, stage="running"
        )

    with tempfile.TemporaryFile() as temp:
        try:
            count = export_write(
                fileobj=temp,
                file_format=job.file_format,
                category=job.category,
                region=job.region,
                on_progress=on_progress,
            )
        except Exception as error:
            job.status = ExportStatus.FAILED
            job.error_message = str(error)
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "error_message", "finished_at"])
            raise
        temp.seek(0)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        job.file.save(f"catalog-{stamp}.{job.file_format}", File(temp), save=False)
    seconds = time.monotonic() - started
    job.rows_total = count
    job.rows_per_second = round(count / seconds, 1) if seconds else 0
    job.status = ExportStatus.DONE
    job.finished_at = timezone.now()
    job.save()
    progress_set(
        kind="export", job_id=job.pk, percent=100, rows=count, rows_per_second=job.rows_per_second, stage="finished"
    )
    return job
