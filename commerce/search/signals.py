"""Переиндексация товара при правке того, что индексируется в его записи поиска.

Сигналы здесь оправданы: правки приходят из админок, сервисов каталога и обмена, а каталог
не должен знать о поиске. Массовые загрузки (bulk_create) сигналов не шлют — после них
нужен `manage.py update_index`.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from commerce.catalog.models import Brand, Category, Product, ProductAttributeValue, Variant, VariantAttributeValue
from commerce.search.documents import name_words_enabled, product_documents_refresh
from commerce.search.indexing import products_reindex_soon


@receiver(post_save, sender=Product)
def product_changed(sender, instance, raw=False, **kwargs):
    """Пересчитать поисковый документ товара после его сохранения (название, активность, популярность).

    Запись modelsearch обновляет сам modelsearch; здесь — таблицы поиска товаров (на SQLite — слова названий).
    """
    if not raw and name_words_enabled():
        product_documents_refresh(product_ids=[instance.pk])


@receiver(post_save, sender=Variant)
@receiver(post_delete, sender=Variant)
@receiver(post_save, sender=ProductAttributeValue)
@receiver(post_delete, sender=ProductAttributeValue)
def product_part_changed(sender, instance, raw=False, **kwargs):
    """Переиндексировать товар после правки его варианта (артикул) или значения атрибута."""
    if not raw:
        products_reindex_soon(product_ids=[instance.product_id])


@receiver(post_save, sender=VariantAttributeValue)
@receiver(post_delete, sender=VariantAttributeValue)
def variant_value_changed(sender, instance, raw=False, **kwargs):
    """Переиндексировать товар после правки значения атрибута его варианта."""
    if not raw:
        product_id = Variant.objects.filter(pk=instance.variant_id).values_list("product_id", flat=True).first()
        products_reindex_soon(product_ids=[product_id])


@receiver(post_save, sender=Brand)
def brand_changed(sender, instance, created=False, raw=False, **kwargs):
    """Переиндексировать товары бренда после его правки (название ищется в товарах)."""
    if not raw and not created:
        products_reindex_soon(product_ids=list(instance.products.values_list("id", flat=True)))


@receiver(post_save, sender=Category)
def category_changed(sender, instance, created=False, raw=False, **kwargs):
    """Переиндексировать товары категории (основной и дополнительной) после её правки."""
    if raw or created:
        return
    ids = set(instance.main_products.values_list("id", flat=True))
    ids.update(instance.extra_products.values_list("id", flat=True))
    products_reindex_soon(product_ids=ids)


@receiver(m2m_changed, sender=Product.extra_categories.through)
def product_extra_categories_changed(sender, instance, action, pk_set, **kwargs):
    """Переиндексировать товар после правки дополнительных категорий (Django admin, сервисы)."""
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Product):
        products_reindex_soon(product_ids=[instance.pk])
