"""Демонстрационные данные поиска: индекс товаров, записанных демо пачками в обход сигналов."""

from commerce.catalog.models import Product
from commerce.search.documents import name_words_enabled
from commerce.search.indexing import products_reindex
from commerce.search.models import ProductNameWord


def seed_search_index(*, stdout):
    """Проиндексировать товары демо, которых ещё нет в поиске (повторный запуск ничего не меняет).

    Товары ассортимента записаны пачками, сигналы поиска на них не сработали. С таблицей
    слов названий (бэкенд database) «ещё не в поиске» — это товары без слов; на внешнем
    бэкенде (OpenSearch) признака нет, и переиндексируются все товары.
    """
    products = Product.objects.all()
    if name_words_enabled():
        products = products.exclude(pk__in=ProductNameWord.objects.values("product_id"))
    count = products_reindex(product_ids=list(products.values_list("pk", flat=True)))
    stdout.write(f"Поиск: проиндексировано товаров {count}.")
