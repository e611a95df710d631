"""Реакция на изменения каталога, цен и остатков: кэш, поля фильтров, предложения в регионах.

Сигналы здесь оправданы: правки приходят из трёх мест (Wagtail admin, Django admin,
сервисы и обмен), и каждое должно одинаково сбросить кэш витрины. Массовые загрузки
(bulk_create, COPY) сигналов не шлют и вызывают пересчёт сами.
"""

from django.db.models.signals import m2m_changed, post_delete, pre_delete
from django.dispatch import receiver

from commerce.catalog.cache import catalog_cache_invalidate
from commerce.catalog.category_offers import category_counts_recount, category_ids_of_products, category_offers_forget
from commerce.catalog.indexing import product_index_refresh
from commerce.catalog.models import Product, ProductAttributeValue, Variant, VariantAttributeValue
from commerce.catalog.offers import product_offer_refresh, product_offer_refresh_variants
from commerce.catalog.senders import (
    CASCADE_ORDERED_MODELS,
    CATALOG_CHANGE_SENDERS,
    OFFER_SOURCE_MODELS,
    PRODUCT_MODELS,
    REGION_WIDE_MODELS,
    STRUCTURE_MODELS,
    catalog_receiver_connect,
)
from commerce.inventory.models import Stock
from commerce.inventory.signals import stocks_changed


def _variant_product_id(variant_id):
    return Variant.objects.filter(pk=variant_id).values_list("product_id", flat=True).first()


def _product_being_deleted(kwargs):
    """Удаляется ли сам товар (варианты уходят каскадом): тогда его строки не пересчитывать.

    Иначе пересчёт вставил бы строки индекса и предложений для товара, которого через
    мгновение не будет, и транзакция упала бы на внешнем ключе при фиксации.
    """
    origin = kwargs.get("origin")
    return isinstance(origin, Product) or getattr(origin, "model", None) is Product


def catalog_changed(sender, instance, **kwargs):
    """Сбросить кэш витрины и пересчитать то, что зависит от изменённой строки.

    Подключён только к моделям senders.CATALOG_CHANGE_SENDERS (ниже), по ветке на группу.
    """
    if sender in STRUCTURE_MODELS:
        # Перемещение категории идёт через services.category_move: он же пересчитывает товары.
        catalog_cache_invalidate(structure=True)
    elif sender in PRODUCT_MODELS:
        catalog_cache_invalidate()
        if sender is Variant and kwargs.get("signal") is post_delete and not _product_being_deleted(kwargs):
            product_index_refresh(product_ids=[instance.product_id])
            product_offer_refresh(product_ids=[instance.product_id])
    elif sender is ProductAttributeValue:
        catalog_cache_invalidate()
        product_index_refresh(product_ids=[instance.product_id])
    elif sender is VariantAttributeValue:
        catalog_cache_invalidate()
        product_index_refresh(product_ids=[_variant_product_id(instance.variant_id)])
    elif sender in OFFER_SOURCE_MODELS:
        # Внутри offers.product_offer_refresh_deferred (оформление заказа, резервы) — после фиксации,
        # и кэш сбрасывает сам отложенный пересчёт: узко, по остаткам и предложениям.
        if not product_offer_refresh_variants(variant_ids=[instance.variant_id]):
            catalog_cache_invalidate()
    elif sender in REGION_WIDE_MODELS:
        # Редкие правки, затрагивающие все товары региона: пересчёт целиком.
        catalog_cache_invalidate()
        product_offer_refresh()


catalog_receiver_connect(catalog_changed, senders=CATALOG_CHANGE_SENDERS)


def cascade_in_order(sender, instance, **kwargs):
    """Ничего не делать: само подключение не даёт Django удалить эти строки каскадом заранее.

    Модель без приёмников post_delete Django в каскаде удаляет «быстро» — одним DELETE до
    остальных строк и их сигналов. Тогда сигналы цен и остатков удаляемого товара пересчитывали бы
    предложения уже без его индекса категорий, и счётчики категорий расходились бы с данными
    (ловит tests/commerce/catalog/test_category_offers.py, шаг «delete»).
    """


for _model in CASCADE_ORDERED_MODELS:
    post_delete.connect(cascade_in_order, sender=_model)


@receiver(stocks_changed, sender=Stock)
def stocks_changed_in_bulk(sender, stocks, **kwargs):
    """Пачка остатков одной командой (резерв оформления): один пересчёт предложений их товаров."""
    if not product_offer_refresh_variants(variant_ids=[stock.variant_id for stock in stocks]):
        catalog_cache_invalidate()


@receiver(pre_delete, sender=Product)
def product_deleting(sender, instance, **kwargs):
    """Запомнить категории удаляемого товара: после удаления их счётчики пересчитываются.

    Строки CategoryOffer уходят каскадом, а счётчики каскад не уменьшает; приращение здесь
    не годится — каскад удаляет остатки и цены раньше товара, и их сигналы успевают
    пересчитать предложения товара ещё раз.
    """
    instance._deleted_category_ids = category_ids_of_products(product_ids=[instance.pk])


@receiver(post_delete, sender=Product)
def product_deleted(sender, instance, **kwargs):
    category_offers_forget(product_ids=[instance.pk])
    category_counts_recount(category_ids=getattr(instance, "_deleted_category_ids", None) or set())


@receiver(m2m_changed, sender=Product.extra_categories.through)
def product_extra_categories_changed(sender, instance, action, pk_set, **kwargs):
    """Пересчитать категории товара после правки дополнительных категорий (Django admin)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Product):
        product_index_refresh(product_ids=[instance.pk])
    else:
        product_index_refresh(product_ids=list(pk_set or []) or None)
    catalog_cache_invalidate()
