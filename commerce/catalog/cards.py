"""Карточка товара вне списка каталога (блок товара в статье и т. п.) — та же форма, что в списке.

Одна форма карточки везде, где показан товар: строку строит serializers.product_list_item
(список каталога и поиск), а здесь только читаются те же строки предложений и главные
картинки для произвольного набора товаров. Постоянное число запросов на любое число
карточек: один на предложения, два на картинки (снимок каталога — из памяти процесса).
"""

from commerce.catalog import selectors
from commerce.catalog.api.serializers import product_list_item
from commerce.catalog.snapshot import catalog_snapshot


def product_cards(*, product_ids, region_id):
    """Вернуть {id товара: карточка} активных товаров в регионе.

    Args:
        product_ids: id товаров (повторы допустимы).
        region_id: регион цен и наличия или None (тогда без цены и наличия).

    Returns:
        dict: id → {"id", "slug", "name", "brand", "price", "old_price", "currency",
        "is_available", "image"} — как строка GET /api/v1/catalog/products/. Неактивных
        и удалённых товаров нет.
    """
    rows = selectors.product_offer_rows(region_id=region_id, product_ids=product_ids)
    if not rows:
        return {}
    images = selectors.product_main_images(product_ids=list(rows), specs=selectors.list_image_specs())
    snapshot = catalog_snapshot()
    return {pk: product_list_item(row, snapshot, images) for pk, row in rows.items()}
