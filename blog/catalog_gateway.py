"""Единственное место, где блог читает каталог: карточки товаров в форме списка каталога.

Карточку строит сам каталог (commerce.catalog.cards.product_cards) — та же форма, что у строки
GET /api/v1/catalog/products/ и поиска: блог не держит своей копии цены, наличия и картинок.
"""

from commerce.catalog.cards import product_cards as catalog_product_cards
from regions.selectors import region_for_request


def product_cards(*, product_ids, request):
    """Вернуть карточки активных товаров для региона запроса.

    Args:
        product_ids: id товаров.
        request: HTTP-запрос (регион — request.region, без него — регион по умолчанию) или None.

    Returns:
        dict: id товара → карточка списка каталога ({"id", "slug", "name", "brand", "price",
        "old_price", "currency", "is_available", "image"}). Неактивных и удалённых товаров нет.
    """
    region = region_for_request(request=request)
    return catalog_product_cards(product_ids=product_ids, region_id=region.pk if region else None)
