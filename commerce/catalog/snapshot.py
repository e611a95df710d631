"""Снимок структуры каталога в памяти процесса: категории, бренды, атрибуты и их значения.

Проверка фильтров (slug категории, бренда, код атрибута и значения), поддерево категории,
хлебные крошки и фильтруемые атрибуты категории нужны почти каждому запросу витрины, а
меняются редко. Процесс держит неизменяемый снимок, собранный четырьмя запросами, и
перестраивает его, только когда сменилась версия структуры в общем кэше (cache.py).
"""

import threading
from dataclasses import dataclass, field

from commerce.catalog.cache import catalog_versions
from commerce.catalog.models import Attribute, AttributeChoice, Brand, Category, CategoryAttribute

_lock = threading.Lock()
_snapshot = None


@dataclass(frozen=True)
class CategoryNode:
    id: int
    parent_id: int | None
    path: str
    depth: int
    name: str
    slug: str
    description: str
    image_id: int | None
    seo_title: str
    seo_description: str
    children: list = field(default_factory=list)


@dataclass(frozen=True)
class AttributeInfo:
    id: int
    code: str
    name: str
    type: str
    unit: str
    is_filterable: bool
    choices: tuple  # ((id, value, label), ...) по порядку
    choice_by_value: dict
    choice_by_id: dict


@dataclass
class CatalogSnapshot:
    """Неизменяемый после постройки снимок активной структуры каталога."""

    version: str
    categories_by_id: dict
    categories_by_slug: dict
    roots: list
    brands_by_id: dict
    brands_by_slug: dict
    attributes_by_id: dict
    attributes_by_code: dict
    own_attribute_ids: dict  # id категории → [id атрибута] в порядке привязки

    def breadcrumbs(self, category_id):
        """Вернуть цепочку категорий от корня до данной (включительно)."""
        chain = []
        node = self.categories_by_id.get(category_id)
        while node is not None:
            chain.append(node)
            node = self.categories_by_id.get(node.parent_id)
        return list(reversed(chain))

    def category_attributes(self, category_id):
        """Вернуть атрибуты категории вместе с унаследованными от предков, без повторов."""
        result, seen = [], set()
        for node in self.breadcrumbs(category_id):
            for attribute_id in self.own_attribute_ids.get(node.id, ()):
                if attribute_id not in seen and attribute_id in self.attributes_by_id:
                    seen.add(attribute_id)
                    result.append(self.attributes_by_id[attribute_id])
        return result


def _build(version):
    # Неактивная категория скрывает и всё своё поддерево.
    rows = list(
        Category.objects.order_by("path").values(
            "id",
            "path",
            "depth",
            "name",
            "slug",
            "description",
            "image_id",
            "seo_title",
            "seo_description",
            "is_active",
        )
    )
    by_path, by_id, by_slug, roots, hidden_prefixes = {}, {}, {}, [], []
    for row in rows:
        path = row["path"]
        if not row["is_active"] or any(path.startswith(prefix) for prefix in hidden_prefixes):
            hidden_prefixes.append(path)
            continue
        parent = by_path.get(path[: -Category.steplen]) if row["depth"] > 1 else None
        if row["depth"] > 1 and parent is None:
            continue
        node = CategoryNode(
            id=row["id"],
            parent_id=parent.id if parent else None,
            path=path,
            depth=row["depth"],
            name=row["name"],
            slug=row["slug"],
            description=row["description"],
            image_id=row["image_id"],
            seo_title=row["seo_title"],
            seo_description=row["seo_description"],
        )
        by_path[path] = node
        by_id[node.id] = node
        by_slug[node.slug] = node
        (parent.children if parent else roots).append(node)

    brands = list(Brand.objects.filter(is_active=True).values("id", "name", "slug"))
    choices_by_attribute = {}
    for choice in AttributeChoice.objects.order_by("sort_order", "id").values("id", "attribute_id", "value", "label"):
        choices_by_attribute.setdefault(choice["attribute_id"], []).append(
            (choice["id"], choice["value"], choice["label"])
        )
    attributes_by_id = {}
    for row in Attribute.objects.values("id", "code", "name", "type", "unit", "is_filterable"):
        choices = tuple(choices_by_attribute.get(row["id"], ()))
        attributes_by_id[row["id"]] = AttributeInfo(
            choices=choices,
            choice_by_value={value: (choice_id, value, label) for choice_id, value, label in choices},
            choice_by_id={choice_id: (choice_id, value, label) for choice_id, value, label in choices},
            **row,
        )
    own = {}
    for link in CategoryAttribute.objects.order_by("sort_order", "id").values("category_id", "attribute_id"):
        own.setdefault(link["category_id"], []).append(link["attribute_id"])
    return CatalogSnapshot(
        version=version,
        categories_by_id=by_id,
        categories_by_slug=by_slug,
        roots=roots,
        brands_by_id={brand["id"]: brand for brand in brands},
        brands_by_slug={brand["slug"]: brand for brand in brands},
        attributes_by_id=attributes_by_id,
        attributes_by_code={attribute.code: attribute for attribute in attributes_by_id.values()},
        own_attribute_ids=own,
    )


def catalog_snapshot(*, versions=None):
    """Вернуть актуальный снимок, перестроив его, только если версия структуры изменилась."""
    global _snapshot
    structure_version = (versions or catalog_versions())[0]
    snapshot = _snapshot
    if snapshot is not None and snapshot.version == structure_version:
        return snapshot
    with _lock:
        snapshot = _snapshot
        if snapshot is None or snapshot.version != structure_version:
            snapshot = _build(structure_version)
            _snapshot = snapshot
    return snapshot
