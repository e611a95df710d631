"""Записи каталога, затрагивающие несколько строк: товар с вариантом, категории, внешние id."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from commerce.catalog.cache import catalog_cache_invalidate
from commerce.catalog.indexing import product_index_refresh
from commerce.catalog.models import Category, ExternalId, Product, ProductCategoryIndex, ProductImage, Variant
from commerce.catalog.offers import product_offer_refresh


@transaction.atomic
def category_create(*, name, slug, parent=None, **fields):
    """Создать категорию корнем дерева или последним ребёнком parent."""
    if parent is None:
        return Category.add_root(name=name, slug=slug, **fields)
    return Category.objects.get(pk=parent.pk).add_child(name=name, slug=slug, **fields)


@transaction.atomic
def category_move(*, category, target, position="last-child"):
    """Переместить категорию (позиции treebeard: last-child, left, right, ...) и пересчитать товары.

    Товары поддерева получают новых предков в индексе категорий; treebeard двигает узлы
    UPDATE-ами без save(), поэтому сигналы не сработают — пересчёт и сброс кэша здесь.
    """
    category = Category.objects.get(pk=category.pk)
    subtree_ids = list(Category.get_tree(category).values_list("pk", flat=True))
    product_ids = set(
        ProductCategoryIndex.objects.filter(category_id__in=subtree_ids).values_list("product_id", flat=True)
    )
    category.move(Category.objects.get(pk=target.pk), pos=position)
    product_index_refresh(product_ids=product_ids)
    catalog_cache_invalidate(structure=True)
    return Category.objects.get(pk=category.pk)


@transaction.atomic
def product_create(*, name, slug, main_category, sku, brand=None, description="", extra_categories=(), **fields):
    """Создать товар сразу с первым вариантом: товар без варианта продать нельзя."""
    product = Product(name=name, slug=slug, main_category=main_category, brand=brand, description=description, **fields)
    product.extra_categories.set(list(extra_categories))
    product.full_clean()
    product.save()
    variant = Variant(product=product, sku=sku)
    variant.full_clean()
    variant.save()
    return product


@transaction.atomic
def external_id_set(*, obj, system, value):
    """Привязать к объекту каталога id внешней системы (заменив прежний id этой системы).

    Raises:
        django.db.IntegrityError: id уже принадлежит другому объекту того же типа в этой системе.
    """
    content_type = ContentType.objects.get_for_model(obj)
    link, _created = ExternalId.objects.update_or_create(
        content_type=content_type, object_id=obj.pk, system=system, defaults={"value": value}
    )
    return link


# --- Массовые записи для загрузки каталога из внешних систем (integrations.core.catalog_in) ---
# Пишут в обход save() и сигналов: вызывающий пересчитывает денормализованные таблицы
# (catalog_denormalized_refresh) один раз на пачку, а не на каждый объект.


def products_bulk_create(*, products):
    """Создать товары одной командой (без пересчёта индексов); вернуть их с id."""
    return Product.objects.bulk_create(products)


def products_bulk_update(*, products, fields):
    """Обновить поля товаров одной командой (без пересчёта индексов); «изменён» — сейчас."""
    if products and fields:
        now = timezone.now()
        for product in products:
            product.updated_at = now  # bulk_update не зовёт pre_save: auto_now не сработает сам
        Product.objects.bulk_update(products, sorted(set(fields) | {"updated_at"}))


def product_extra_categories_set(*, categories_by_product):
    """Заменить дополнительные категории товаров: {id товара: [id категорий]}."""
    through = Product.extra_categories.through
    if not categories_by_product:
        return
    through.objects.filter(product_id__in=list(categories_by_product)).delete()
    through.objects.bulk_create(
        [
            through(product_id=product_id, category_id=category_id)
            for product_id, category_ids in categories_by_product.items()
            for category_id in dict.fromkeys(category_ids)
        ]
    )


def variants_bulk_create(*, variants):
    """Создать варианты одной командой (без пересчёта индексов); вернуть их с id."""
    return Variant.objects.bulk_create(variants)


def variants_bulk_update(*, variants, fields):
    """Обновить поля вариантов одной командой (без пересчёта индексов)."""
    if variants and fields:
        Variant.objects.bulk_update(variants, sorted(set(fields)))


def attribute_values_bulk_set(*, model, owner_field, rows):
    """Записать значения атрибутов (ProductAttributeValue или VariantAttributeValue) пачкой.

    Args:
        model: класс значения.
        owner_field: ``product_id`` или ``variant_id``.
        rows: [(id владельца, id атрибута, {choice_id, value_text, value_number, value_boolean})].
    """
    if not rows:
        return
    objects = [
        model(**{owner_field: owner_id}, attribute_id=attribute_id, **{"value_text": "", **values})
        for owner_id, attribute_id, values in rows
    ]
    model.objects.bulk_create(
        objects,
        update_conflicts=True,
        unique_fields=[owner_field.removesuffix("_id"), "attribute"],
        update_fields=["choice", "value_text", "value_number", "value_boolean"],
    )


def product_images_bulk_set(*, images_by_product):
    """Заменить изображения товаров: {id товара: [id изображений Wagtail по порядку]}."""
    if not images_by_product:
        return
    ProductImage.objects.filter(product_id__in=list(images_by_product)).delete()
    ProductImage.objects.bulk_create(
        [
            ProductImage(product_id=product_id, image_id=image_id, sort_order=position)
            for product_id, image_ids in images_by_product.items()
            for position, image_id in enumerate(image_ids)
        ]
    )


def catalog_denormalized_refresh(*, product_ids, structure=False):
    """Пересчитать индексы фильтров и предложения товаров и сбросить кэш витрины — раз на пачку.

    ``product_ids=None`` — весь каталог (большая загрузка: один проход без списка id).
    """
    if product_ids is None:
        product_index_refresh(product_ids=None)
        product_offer_refresh(product_ids=None)
        catalog_cache_invalidate(structure=structure)
        return
    ids = sorted({pk for pk in product_ids if pk is not None})
    if ids:
        product_index_refresh(product_ids=ids)
        product_offer_refresh(product_ids=ids)
    if ids or structure:
        catalog_cache_invalidate(structure=structure)
