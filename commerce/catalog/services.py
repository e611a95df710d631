"""Записи каталога, затрагивающие несколько строк: товар с вариантом, категории, внешние id."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from commerce.catalog.cache import catalog_cache_invalidate
from commerce.catalog.indexing import product_index_refresh
from commerce.catalog.models import Category, ExternalId, Product, ProductCategoryIndex, Variant


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
