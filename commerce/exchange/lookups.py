"""Справочники каталога для обмена: категории по пути, бренды, атрибуты, прайс-листы, склады.

Загружаются один раз на импорт или экспорт (несколько запросов), дальше — словари в памяти:
строке файла не нужен ни один запрос, чтобы найти свою категорию или значение атрибута.
"""

from anyascii import anyascii
from django.db import transaction
from django.utils.text import slugify

from commerce.catalog import services as catalog_services
from commerce.catalog.models import Attribute, AttributeChoice, Brand, Category
from commerce.exchange import permissions as exchange_permissions
from commerce.exchange.sheet_format import CATEGORY_SEPARATOR, category_path_split, text_normalize
from commerce.inventory.models import Warehouse
from commerce.pricing.models import PriceList


def slug_from_text(text, *, max_length=150):
    """Сделать slug из русского текста транслитерацией: «Ноутбуки» → «noutbuki»."""
    slug = slugify(anyascii(str(text)))[:max_length].strip("-")
    return slug or "item"


def slug_unique(base, taken, *, max_length=150):
    """Вернуть base или base-2, base-3..., которого нет в множестве taken (функция «занят ли»)."""
    candidate = base[:max_length]
    number = 1
    while taken(candidate):
        number += 1
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)] + suffix
    return candidate


class CatalogLookup:
    """Словари справочников каталога в памяти на время одного импорта или экспорта."""

    def __init__(self):
        self.price_lists = {row["code"]: row for row in PriceList.objects.values("id", "code", "region_id")}
        self.warehouses = {row["code"]: row for row in Warehouse.objects.values("id", "code", "region_id")}
        self.attributes = {row["code"]: row for row in Attribute.objects.values("id", "code", "name", "type")}
        self.attributes_by_id = {row["id"]: row for row in self.attributes.values()}
        self.choices = {}
        self.choice_values = {}
        # Права моделей, которые понадобились записям справочников (категории, бренды, атрибуты).
        self.permissions = set()
        for choice in AttributeChoice.objects.values("id", "attribute_id", "value", "label"):
            by_text = self.choices.setdefault(choice["attribute_id"], {})
            by_text.setdefault(text_normalize(choice["label"]), choice["id"])
            by_text[text_normalize(choice["value"])] = choice["id"]
            self.choice_values[choice["id"]] = choice["value"]
        self._load_categories()
        self.brands = {}
        self.brand_names = {}
        for brand in Brand.objects.values("id", "name", "slug"):
            self.brands.setdefault(text_normalize(brand["name"]), brand["id"])
            self.brands.setdefault(brand["slug"], brand["id"])
            self.brand_names[brand["id"]] = brand["name"]

    def _load_categories(self):
        rows = list(Category.objects.order_by("path").values("id", "name", "path", "depth"))
        by_path = {}
        self.category_paths = {}
        self.categories = {}
        for row in rows:
            parent = by_path.get(row["path"][: -Category.steplen]) if row["depth"] > 1 else None
            names = [*parent["names"], row["name"]] if parent else [row["name"]]
            row["names"] = names
            by_path[row["path"]] = row
            self.category_paths[row["id"]] = CATEGORY_SEPARATOR.join(names)
            self.categories.setdefault(tuple(text_normalize(name) for name in names), row["id"])

    def category_find(self, text):
        """Вернуть id категории по пути «Электроника / Ноутбуки» или None."""
        return self.categories.get(tuple(text_normalize(name) for name in category_path_split(text)))

    def category_create(self, text, *, slug=None):
        """Создать недостающие категории пути (через сервис каталога) и вернуть id последней.

        slug — для последней категории пути (из листа categories), если он свободен.
        """
        names = category_path_split(text)
        parent_id = None
        self.permissions.add(exchange_permissions.ADD_CATEGORY)
        with transaction.atomic():
            for depth in range(1, len(names) + 1):
                key = tuple(text_normalize(name) for name in names[:depth])
                category_id = self.categories.get(key)
                if category_id is None:
                    name = names[depth - 1][:150]
                    base = slug if slug and depth == len(names) else slug_from_text(name)
                    taken = lambda value: Category.objects.filter(slug=value).exists()  # noqa: E731
                    category_slug = slug_unique(base, taken)
                    parent = Category.objects.get(pk=parent_id) if parent_id else None
                    category = catalog_services.category_create(name=name, slug=category_slug, parent=parent)
                    category_id = category.pk
                    self.categories[key] = category_id
                    self.category_paths[category_id] = CATEGORY_SEPARATOR.join(names[:depth])
                parent_id = category_id
        return parent_id

    def brand_find(self, text):
        return self.brands.get(text_normalize(text)) or self.brands.get(text.strip())

    def brand_create(self, text):
        """Создать бренд с транслитерированным slug и вернуть его id."""
        name = text.strip()[:150]
        self.permissions.add(exchange_permissions.ADD_BRAND)
        slug = slug_unique(slug_from_text(name), lambda slug: Brand.objects.filter(slug=slug).exists())
        brand = Brand(name=name, slug=slug)
        brand.full_clean()
        brand.save()
        self.brands[text_normalize(name)] = brand.pk
        self.brands[slug] = brand.pk
        self.brand_names[brand.pk] = name
        return brand.pk

    def choice_add(self, attribute_id, choice_id, value, label):
        """Запомнить новое значение атрибута-списка (создано листом attributes)."""
        by_text = self.choices.setdefault(attribute_id, {})
        by_text.setdefault(text_normalize(label), choice_id)
        by_text[text_normalize(value)] = choice_id
        self.choice_values[choice_id] = value

    def choice_find(self, attribute_id, text):
        return self.choices.get(attribute_id, {}).get(text_normalize(text))
