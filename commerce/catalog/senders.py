"""Модели, правка которых меняет витрину каталога: явные отправители сигналов каталога.

Приёмники каталога (signals — кэш и пересчёт предложений, cdn — сброс в CDN) подключаются
только к этим моделям, а не к post_save/post_delete каждой модели проекта: сохранение заказа,
сессии или записи журнала их не вызывает. Списки определены здесь один раз; тест
(tests/commerce/catalog/test_signal_senders.py) требует, чтобы каждая модель каталога, цен и
остатков стояла либо в списке, либо в NOT_WATCHED с причиной — новая модель не пройдёт мимо.
"""

from django.db.models.signals import post_delete, post_save

from commerce.catalog.models import (
    Attribute,
    AttributeChoice,
    Brand,
    Category,
    CategoryAttribute,
    CategoryFacetCount,
    CategoryOffer,
    ExternalId,
    Product,
    ProductAttributeValue,
    ProductCategoryIndex,
    ProductChoiceIndex,
    ProductImage,
    ProductOffer,
    Variant,
    VariantAttributeValue,
)
from commerce.inventory.models import Stock, Warehouse
from commerce.pricing.models import PriceList, VariantPrice
from regions.models import Region

# Структура: из неё строится снимок фильтров и хлебных крошек (версия structure).
STRUCTURE_MODELS = (Category, Brand, Attribute, AttributeChoice, CategoryAttribute)
# Товар и его строки: версия данных.
PRODUCT_MODELS = (Product, ProductImage, Variant)
# Значения атрибутов: ещё и индекс фильтров товара.
ATTRIBUTE_VALUE_MODELS = (ProductAttributeValue, VariantAttributeValue)
# Цена и остаток варианта: предложение товара в регионах.
OFFER_SOURCE_MODELS = (VariantPrice, Stock)
# Редкие правки, затрагивающие все товары региона.
REGION_WIDE_MODELS = (PriceList, Warehouse, Region)

CATALOG_CHANGE_SENDERS = (
    *STRUCTURE_MODELS,
    *PRODUCT_MODELS,
    *ATTRIBUTE_VALUE_MODELS,
    *OFFER_SOURCE_MODELS,
    *REGION_WIDE_MODELS,
)

# Что сбрасывается в CDN: ответы с ключом product-<id> (товар, вариант, цена, остаток) и с
# ключом catalog (структура). Изображения и значения атрибутов в админках сохраняются вместе
# с самим товаром (его post_save и сбрасывает карточку), поэтому отдельно не слушаются.
CDN_PURGE_SENDERS = (*STRUCTURE_MODELS, Product, Variant, *OFFER_SOURCE_MODELS)

# Модели каталога, которые приёмники не слушают, и почему.
NOT_WATCHED = {
    ExternalId: "связь с внешней системой; витрина её не показывает",
    ProductOffer: "поддерживаемая таблица: её пишет пересчёт предложений, а не правка",
    ProductCategoryIndex: "поддерживаемая таблица: её пишет индексация товара",
    ProductChoiceIndex: "поддерживаемая таблица: её пишет индексация товара",
    CategoryOffer: "поддерживаемая таблица: её пишет пересчёт предложений категорий",
    CategoryFacetCount: "поддерживаемая таблица: её пишет пересчёт счётчиков категорий",
}

# Их каскад удаления должен идти по порядку, с остальными строками товара (signals.cascade_in_order).
CASCADE_ORDERED_MODELS = tuple(NOT_WATCHED)


def catalog_receiver_connect(receiver, *, senders):
    """Подключить receiver к post_save и post_delete каждой модели из senders."""
    for sender in senders:
        post_save.connect(receiver, sender=sender)
        post_delete.connect(receiver, sender=sender)
