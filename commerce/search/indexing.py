"""Переиндексация товаров в поиске, когда меняется не сам товар, а то, что о нём индексируется.

modelsearch обновляет запись индекса только для сохранённой модели. Артикулы, бренд,
категории и значения атрибутов индексируются в записи товара (RelatedFields), поэтому их
правки должны переиндексировать товар — это делают сигналы (signals.py).
"""

from wagtail.search import index

from commerce.catalog.models import Product
from commerce.search.documents import name_words_enabled, product_documents_refresh

# Больше стольких товаров — переиндексация уходит в Celery, чтобы не держать запрос админки.
INLINE_LIMIT = 200


def products_reindex(*, product_ids):
    """Переиндексировать товары по id во всех бэкендах поиска; вернуть их число.

    Таблицы поиска товаров (на SQLite — только слова названий) пересчитываются одним SQL на все id; индекс
    modelsearch (по нему ищет админка, а на OpenSearch — и витрина) — по товару.
    """
    ids = sorted({pk for pk in product_ids if pk is not None})
    if not ids:
        return 0
    if name_words_enabled():
        product_documents_refresh(product_ids=ids)
    queryset = Product.get_indexed_objects().filter(pk__in=ids)
    count = 0
    for product in queryset.iterator(chunk_size=500):
        index.insert_or_update_object(product)
        count += 1
    return count


def products_reindex_soon(*, product_ids):
    """Переиндексировать немного товаров сразу, а много — задачей Celery."""
    ids = sorted({pk for pk in product_ids if pk is not None})
    if not ids:
        return
    if len(ids) <= INLINE_LIMIT:
        products_reindex(product_ids=ids)
    else:
        # tasks импортирует этот модуль (задача зовёт products_reindex): импорт здесь разрывает цикл.
        from commerce.search.tasks import search_products_reindex

        search_products_reindex.delay(ids)
