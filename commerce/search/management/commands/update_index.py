"""Команда update_index: индекс modelsearch плюс таблицы поиска товаров одним SQL.

Заменяет одноимённую команду wagtail.search (приложение commerce.search стоит раньше в
INSTALLED_APPS). Отличия от исходной: таблицы поиска товаров на PostgreSQL пересчитываются
одним SQL-оператором; выборка объектов идёт по ключу (keyset), а не OFFSET, который на
100 тыс. строк читает таблицу квадратично; у товаров значения атрибутов загружаются вместе
с вариантами списков (без запроса на каждое значение).
"""

import time

from django.db import transaction
from modelsearch.management.commands.rebuild_modelsearch_index import DEFAULT_CHUNK_SIZE
from modelsearch.management.commands.rebuild_modelsearch_index import Command as ModelsearchCommand

from commerce.catalog.models import Product
from commerce.search.documents import name_words_enabled, product_documents_refresh, product_tables_vacuum

# Вложенные связи товара, которые modelsearch сам не подгружает (RelatedFields во RelatedFields).
PRODUCT_PREFETCH = ("attribute_values__choice",)


class Command(ModelsearchCommand):
    help = "Перестроить поисковые индексы: modelsearch и таблицы поиска товаров (PostgreSQL)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--products-only",
            action="store_true",
            dest="products_only",
            default=False,
            help="Пересчитать только таблицы поиска товаров (PostgreSQL), без modelsearch",
        )

    def handle(self, **options):
        self.verbosity = options["verbosity"]
        if name_words_enabled() and not options.get("schema_only"):
            started = time.perf_counter()
            count = product_documents_refresh()
            product_tables_vacuum()
            self.write(f"Таблицы поиска товаров: {count} документов за {time.perf_counter() - started:.1f} с")
        if not options.get("products_only"):
            super().handle(**options)

    @transaction.atomic
    def queryset_chunks(self, qs, chunk_size=DEFAULT_CHUNK_SIZE):
        """Отдавать объекты пачками по первичному ключу (keyset), а не по OFFSET."""
        if qs.model is Product:
            qs = qs.prefetch_related(*PRODUCT_PREFETCH)
        last_pk = None
        while True:
            page = qs if last_pk is None else qs.filter(pk__gt=last_pk)
            items = list(page.order_by("pk")[:chunk_size])
            if not items:
                break
            yield items
            last_pk = items[-1].pk
