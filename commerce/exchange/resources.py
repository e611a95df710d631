"""Ресурсы django-import-export для каталога.

``VariantResource`` — обычный построчный ресурс django-import-export (его путь по умолчанию:
запросы и full_clean() на каждую строку); им пользуется Django admin для вариантов, и с ним
bench/exchange_bench.py сравнивает скорость нашего импорта.

``CatalogResource`` — ресурс формата обмена одним файлом: столбцы — из format.py, экспорт —
потоковый export_write, импорт — пачками через importer.CatalogImporter с построчными
ошибками. Так админка django-import-export и наш API читают и пишут один и тот же формат.
"""

import io

import tablib
from django.db import transaction
from import_export import fields, resources, widgets
from import_export.results import Error, Result, RowResult

from commerce.catalog.models import Product, Variant
from commerce.exchange import services
from commerce.exchange.importer import CREATED, REJECTED, UNCHANGED, UPDATED, CatalogImporter, header_parse
from commerce.exchange.lookups import CatalogLookup


class VariantResource(resources.ModelResource):
    """Вариант построчно: артикул, штрихкод, название, товар по slug (путь django-import-export)."""

    product = fields.Field(attribute="product", column_name="slug", widget=widgets.ForeignKeyWidget(Product, "slug"))

    class Meta:
        model = Variant
        fields = ("sku", "barcode", "name", "product")
        import_id_fields = ("sku",)
        skip_unchanged = True


ROW_TYPES = {
    CREATED: RowResult.IMPORT_TYPE_NEW,
    UPDATED: RowResult.IMPORT_TYPE_UPDATE,
    UNCHANGED: RowResult.IMPORT_TYPE_SKIP,
    REJECTED: RowResult.IMPORT_TYPE_INVALID,
}


class CatalogResource(resources.Resource):
    """Весь каталог одним листом (формат format.py) для django-import-export."""

    def export(self, queryset=None, **kwargs):
        """Выгрузить каталог в tablib.Dataset через потоковый export_write."""
        buffer = io.BytesIO()
        services.export_write(fileobj=buffer, file_format="csv")
        return tablib.Dataset().load(buffer.getvalue().decode("utf-8-sig"), format="csv", delimiter=";")

    def import_data(
        self, dataset, dry_run=False, raise_errors=False, use_transactions=None, collect_failed_rows=False, **kwargs
    ):
        """Импортировать Dataset нашим пачечным импортёром; вернуть Result django-import-export."""
        result = Result()
        result.diff_headers = list(dataset.headers or [])
        lookup = CatalogLookup()
        header = header_parse(list(dataset.headers or []), lookup)
        importer = CatalogImporter(lookup=lookup, header=header)
        importer.preview_limit = len(dataset) + 1
        with transaction.atomic():
            report = importer.run(((number, list(row)) for number, row in enumerate(dataset, start=2)))
            if dry_run or report.counts[REJECTED]:
                transaction.set_rollback(True)
            elif importer.changed:
                services.search_reindex_on_commit(importer.catalog_refresh())
        for number, action, _sku, message in report.preview:
            row_result = RowResult()
            row_result.import_type = ROW_TYPES[action]
            row_result.number = number
            if action == REJECTED:
                row_result.import_type = RowResult.IMPORT_TYPE_ERROR
                row_result.errors = [Error(ValueError(message), number=number)]
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)
        if report.counts[REJECTED] and raise_errors:
            raise ValueError(report.errors[0]["message"])
        return result
