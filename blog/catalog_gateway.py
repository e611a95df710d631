"""Единственное место, где блог читает каталог: карточки товаров с ценой региона.

Всё — через селекторы каталога (commerce.catalog.selectors): предложения региона активных
товаров (цена «от», старая цена, валюта, наличие) — те же строки, что читает список каталога, —
и главные картинки с готовыми вариантами.
Постоянное число запросов на любое число карточек: один на товары с ценами, два на картинки.
"""

from blog.images import PRODUCT_CARD_RENDITIONS


def product_cards(*, product_ids, request):
    """Вернуть карточки активных товаров для региона запроса.

    Args:
        product_ids: id товаров.
        request: HTTP-запрос (регион — request.region, без него — регион по умолчанию) или None.

    Returns:
        dict: id товара → {"id", "name", "slug", "image", "price"}; "price" — {"amount", "old_amount",
        "currency", "in_stock"} или None, если в регионе у товара нет цены. Неактивных и удалённых
        товаров в словаре нет.
    """
    from commerce.catalog.selectors import product_main_images, product_offer_rows
    from regions.selectors import region_for_request

    region = region_for_request(request=request)
    rows = list(product_offer_rows(region_id=region.pk if region else None, product_ids=product_ids).values())
    specs = list(PRODUCT_CARD_RENDITIONS.values())
    images = product_main_images(product_ids=[row["id"] for row in rows], specs=specs)
    return {
        row["id"]: {
            "id": row["id"],
            "name": row["name"],
            "slug": row["slug"],
            "image": _image(*images.get(row["id"], (None, {}))),
            "price": _price(row, region),
        }
        for row in rows
    }


def _price(row, region):
    if row["offer__price"] is None:
        return None
    old_price = row["offer__old_price"]
    return {
        # Суммы строками с двумя знаками: Decimal не теряет копейки в JSON.
        "amount": f"{row['offer__price']:.2f}",
        "old_amount": f"{old_price:.2f}" if old_price is not None else None,
        "currency": row["offer__currency"] or (region.currency if region else "RUB"),
        "in_stock": bool(row["offer__in_stock"]),
    }


def _image(product_image, renditions):
    if product_image is None:
        return None
    image = product_image.image
    return {
        "id": image.pk,
        "title": image.title,
        "alt": product_image.alt or image.default_alt_text,
        "width": image.width,
        "height": image.height,
        "renditions": {
            name: {
                "url": renditions[spec].full_url,
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for name, spec in PRODUCT_CARD_RENDITIONS.items()
        },
    }
