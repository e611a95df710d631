"""Единственное место, где блог читает каталог: товары, их главные картинки и цены региона.

Цена «от» для региона — из денормализованной таблицы предложений каталога (catalog.ProductOffer),
которую каталог пересчитывает сам при изменении цен и остатков; блог её только читает.
Когда у каталога появятся селекторы с тем же смыслом, заменить чтения здесь — больше нигде.
"""

from django.db.models import Prefetch
from wagtail.images import get_image_model

from blog.images import PRODUCT_CARD_RENDITIONS


def active_products(*, product_ids):
    """Вернуть активные товары с картинками (и нужными вариантами картинок) — три-четыре запроса на пачку."""
    from commerce.catalog.models import Product, ProductImage

    rendition_model = get_image_model().get_rendition_model()
    images = ProductImage.objects.select_related("image").order_by("sort_order", "pk")
    return list(
        Product.objects.filter(pk__in=product_ids, is_active=True)
        .only("id", "name", "slug")
        .prefetch_related(
            Prefetch("images", queryset=images),
            Prefetch(
                "images__image__renditions",
                queryset=rendition_model.objects.filter(filter_spec__in=list(PRODUCT_CARD_RENDITIONS.values())),
            ),
        )
    )


def main_image(product):
    """Вернуть главную (первую по порядку) картинку товара или None."""
    images = list(product.images.all())
    return images[0].image if images else None


def prices_for_region(*, product_ids, region):
    """Вернуть цены товаров в регионе: id товара → {"amount", "old_amount", "currency", "in_stock"}.

    Суммы — строки с двумя знаками (Decimal не теряет копейки в JSON). Товар без цены в регионе
    в словарь не попадает: витрина показывает его недоступным.
    """
    if region is None or not product_ids:
        return {}
    from commerce.catalog.models import ProductOffer

    offers = ProductOffer.objects.filter(product_id__in=product_ids, region_id=region.pk, price__isnull=False)
    return {
        offer.product_id: {
            "amount": f"{offer.price:.2f}",
            "old_amount": f"{offer.old_price:.2f}" if offer.old_price is not None else None,
            "currency": offer.currency or region.currency,
            "in_stock": offer.in_stock,
        }
        for offer in offers
    }
