"""Каталог на вход: общая для всех коннекторов загрузка категорий, товаров, цен и остатков.

Коннектор (1С, МойСклад, ERPNext) переводит документы своей системы в простые dataclass-ы
этого модуля и отдаёт их пачками в :class:`CatalogInput`. Здесь — всё, что от системы не
зависит: поиск своих объектов по внешним id ядра (``integrations.core.models.ExternalId``),
сравнение с базой (повторная загрузка того же — «без изменений»), запись только через
сервисы магазина (``commerce.*.services``), одна транзакция на пачку, счётчики в SyncRun и
пересчёт денормализованных таблиц, кэша и поиска один раз на пачку.

Порядок вызовов: ``categories_upsert`` (родители раньше детей) → ``products_upsert`` →
``variants_upsert`` (варианты, объявленные отдельно от товара) → ``prices_set`` / ``stocks_set``.
Каждый вызов — одна пачка; отдавайте по CATALOG_IN_BATCH объектов.
"""

import hashlib
import html
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from commerce.catalog import services as catalog_services
from commerce.catalog.models import (
    Attribute,
    AttributeChoice,
    AttributeType,
    Category,
    Product,
    ProductAttributeValue,
    ProductImage,
    Variant,
    VariantAttributeValue,
    ean13_is_valid,
)
from commerce.exchange.services import search_reindex_on_commit
from commerce.inventory import services as inventory_services
from commerce.inventory.models import Stock, Warehouse
from commerce.pricing import services as pricing_services
from commerce.pricing.models import PriceList, VariantPrice
from integrations.core.models import ExternalId, ExternalKind
from integrations.core.slugs import ExternalSlugs, code_as_is, short_hash

logger = logging.getLogger(__name__)

CATALOG_IN_BATCH = 500
# Категория для товаров, у которых система не назвала ни одной группы.
FALLBACK_CATEGORY_ID = "__fallback__"
# Внешний id «склада» для общего остатка без склада (сопоставляется настройкой или единственным складом).
TOTAL_WAREHOUSE = "*"
# Поля товара, которые можно не перезаписывать загрузкой (их правят редакторы на сайте).
KEEPABLE_FIELDS = ("name", "description", "images", "categories")
# Доля каталога, начиная с которой отложенный пересчёт идёт по всему каталогу, а не по списку id.
REFRESH_ALL_SHARE = 0.5
# Сколько id товаров в одном отложенном пересчёте по списку (SQLite ограничивает число параметров).
REFRESH_CHUNK = 5000


@dataclass
class CategoryIn:
    """Категория внешней системы; ``parent_id`` — внешний id родителя (None — корень)."""

    external_id: str
    name: str
    parent_id: str | None = None


@dataclass
class AttributeValueIn:
    """Значение свойства: имя атрибута, значение текстом и, если есть, внешний id атрибута.

    ``kind`` — ``choice`` (список), ``text``, ``number`` или ``boolean``: тип атрибута, который
    будет создан, если такого ещё нет.
    """

    name: str
    value: str
    external_id: str = ""
    kind: str = AttributeType.CHOICE


@dataclass
class ImageIn:
    """Картинка — файл на диске (одинаковое содержимое даёт одно изображение Wagtail).

    ``image_id`` — уже загруженное изображение Wagtail (коннектор помнит, что скачал его раньше:
    файл тогда не нужен и не перечитывается).
    """

    path: Path | None = None
    title: str = ""
    image_id: int | None = None


@dataclass
class VariantIn:
    """Вариант (SKU): внешний id, товар-владелец, артикул, штрихкод, значения характеристик.

    Пустые ``sku``/``barcode`` — «не задано»: у нового варианта артикул строится из внешнего id.
    ``name=None`` — название варианта не менять.
    """

    external_id: str
    product_id: str
    sku: str = ""
    name: str | None = None
    barcode: str = ""
    weight_grams: int | None = None
    attributes: list = field(default_factory=list)
    active: bool = True


@dataclass
class UnitIn:
    """Единица измерения товара: код ОКЕИ (796 — штука), краткое и полное имя, международное сокращение."""

    code: str = ""
    name: str = ""
    full_name: str = ""
    international: str = ""


@dataclass
class ProductIn:
    """Товар с вариантами; без ``variants`` у товара один вариант с внешним id самого товара.

    ``description`` — HTML (``description_text`` — простой текст, будет экранирован);
    ``images=None`` и ``category_ids=None`` — не трогать то, что уже есть.
    """

    external_id: str
    name: str
    sku: str = ""
    barcode: str = ""
    description: str | None = None
    description_text: str | None = None
    category_ids: list | None = None
    attributes: list = field(default_factory=list)
    images: list | None = None
    variants: list = field(default_factory=list)
    weight_grams: int | None = None
    active: bool = True
    # Единица измерения и ставка НДС (commerce.catalog.models.VatRate); None — не менять.
    unit: UnitIn | None = None
    vat_rate: str | None = None


@dataclass
class PriceIn:
    """Цена варианта в прайс-листе внешней системы (тип цен 1С, прайс МойСклада).

    ``currency`` — ISO-код валюты цены, если система его называет: цена в валюте, отличной от
    валюты нашего прайс-листа, не записывается (ошибка в журнале), а не пересчитывается молча.
    """

    variant_id: str
    price_list_id: str
    price: Decimal
    price_list_name: str = ""
    currency: str = ""


@dataclass
class StockIn:
    """Остаток варианта на складе внешней системы; дробный и отрицательный приводятся к целому ≥ 0."""

    variant_id: str
    warehouse_id: str
    quantity: Decimal
    warehouse_name: str = ""


@dataclass
class BatchCounts:
    """Итог одной пачки по видам объектов: {вид: {created, updated, unchanged, skipped}}."""

    kinds: dict = field(default_factory=dict)

    def add(self, kind, action, count=1):
        bucket = self.kinds.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0})
        bucket[action] += count

    def total(self, action):
        return sum(bucket[action] for bucket in self.kinds.values())


def _norm(text):
    return " ".join(str(text).split()).casefold()


def _unit_vat_fields(item):
    """Поля товара для единицы и ставки НДС из ProductIn (только то, что система назвала)."""
    fields = {}
    if item.unit is not None:
        fields.update(
            unit_code=item.unit.code[:4],
            unit_name=item.unit.name[:20],
            unit_full_name=item.unit.full_name[:60],
            unit_international=item.unit.international[:6],
        )
    if item.vat_rate is not None:
        fields["vat_rate"] = item.vat_rate
    return fields


def _quantity(value):
    """Привести остаток к целому числу штук ≥ 0: дробное — вниз, отрицательное — 0 (правило в docs)."""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return 0
    if not number.is_finite() or number <= 0:
        return 0
    return int(number)


class CatalogInput:
    """Загрузка каталога одной внешней системы в магазин пачками.

    Args:
        connection: подключение (внешние id ведутся в его пространстве).
        run: SyncRun — сюда складываются счётчики и ошибки (сохраняет вызывающий).
        keep_fields: поля товара из KEEPABLE_FIELDS, которые у существующих товаров не перезаписываются.
        price_lists: {внешний id или название типа цен: код нашего прайс-листа} (настройки подключения).
        warehouses: {внешний id или название склада: код нашего склада}.
        fallback_category_name: категория для товаров без групп.
        defer_refresh: копить пересчёт предложений, индексов, кэша и поиска до ``refresh_pending()``
            (большая загрузка в одной транзакции: один проход по всем товарам вместо прохода на пачку).
    """

    def __init__(
        self,
        *,
        connection,
        run,
        keep_fields=(),
        price_lists=None,
        warehouses=None,
        fallback_category_name=None,
        defer_refresh=False,
    ):
        self.connection = connection
        self.defer_refresh = defer_refresh
        self._pending_refresh, self._pending_reindex, self._pending_structure = set(), set(), False
        self.run = run
        self.keep_fields = set(keep_fields) & set(KEEPABLE_FIELDS)
        self.price_list_options = dict(price_lists or {})
        self.warehouse_options = dict(warehouses or {})
        self.fallback_category_name = fallback_category_name or _("Без категории")
        self.counts = BatchCounts()
        self._price_lists = {}
        self._warehouses = {}
        self._reported = set()
        self._attributes = {}
        self.seen_products = set()
        # Товары, созданные этой загрузкой: им картинки ставятся, даже если «images» в keep_fields.
        self.created_products = set()

    # --- внешние id ------------------------------------------------------------------------

    def _ids(self, kind, external_ids):
        """Вернуть {внешний id: наш id (int)} для существующих сопоставлений вида kind."""
        external_ids = {str(value) for value in external_ids if value}
        if not external_ids:
            return {}
        rows = ExternalId.objects.filter(
            connection=self.connection, kind=kind, external_id__in=external_ids
        ).values_list("external_id", "object_id")
        return {external: int(ours) for external, ours in rows}

    def _ids_set(self, kind, pairs):
        """Запомнить пары (внешний id, наш id) одной командой upsert."""
        if not pairs:
            return
        ExternalId.objects.bulk_create(
            [
                ExternalId(connection=self.connection, kind=kind, external_id=str(external), object_id=str(ours))
                for external, ours in pairs
            ],
            update_conflicts=True,
            unique_fields=["connection", "kind", "external_id"],
            update_fields=["object_id", "updated_at"],
        )

    def _error(self, obj, message):
        self.run.error_add(obj=obj, message=message)

    def _report_once(self, key, obj, message):
        if key not in self._reported:
            self._reported.add(key)
            self._error(obj, message)

    def _finish_batch(self, kind, counts):
        for action in ("created", "updated", "unchanged", "skipped"):
            value = counts.get(action, 0)
            if value:
                self.counts.add(kind, action, value)
                setattr(self.run, action, getattr(self.run, action) + value)

    # --- пересчёт каталога ------------------------------------------------------------------

    def _refresh(self, product_ids, *, structure=False, reindex=True):
        """Пересчитать денормализованные таблицы (и поиск) товаров пачки — или отложить (defer_refresh)."""
        product_ids = {pk for pk in product_ids if pk is not None}
        if self.defer_refresh:
            self._pending_refresh |= product_ids
            self._pending_structure |= structure
            if reindex:
                self._pending_reindex |= product_ids
            return
        catalog_services.catalog_denormalized_refresh(product_ids=product_ids, structure=structure)
        if reindex:
            search_reindex_on_commit(product_ids)

    def refresh_pending(self):
        """Выполнить отложенный пересчёт одним проходом; вызывать в транзакции загрузки, после последней пачки.

        Если тронута большая часть каталога (REFRESH_ALL_SHARE), пересчитывается весь каталог:
        один запрос без списка id быстрее запроса с сотней тысяч id.
        """
        ids, reindex, structure = self._pending_refresh, self._pending_reindex, self._pending_structure
        self._pending_refresh, self._pending_reindex, self._pending_structure = set(), set(), False
        if ids and len(ids) >= REFRESH_ALL_SHARE * Product.objects.count():
            catalog_services.catalog_denormalized_refresh(product_ids=None, structure=structure)
        else:
            ordered = sorted(ids)
            for start in range(0, len(ordered), REFRESH_CHUNK):
                catalog_services.catalog_denormalized_refresh(product_ids=ordered[start : start + REFRESH_CHUNK])
            if structure:
                catalog_services.catalog_denormalized_refresh(product_ids=(), structure=True)
        search_reindex_on_commit(reindex)

    # --- категории -------------------------------------------------------------------------

    @transaction.atomic
    def categories_upsert(self, categories):
        """Создать или обновить категории (родители раньше детей); вернуть {внешний id: id категории}."""
        known = self._ids(ExternalKind.CATEGORY, [item.external_id for item in categories])
        existing = Category.objects.in_bulk(list(known.values()))
        counts, new_pairs, result = {}, [], dict(known)
        parents = self._ids(ExternalKind.CATEGORY, [item.parent_id for item in categories if item.parent_id])
        slugs = ExternalSlugs(model=Category, connection=self.connection, max_length=150, base_length=120)
        slugs.reserve(
            [(self._category_name(item), item.external_id) for item in categories if item.external_id not in known]
        )
        for item in categories:
            name = self._category_name(item)
            parent_pk = result.get(item.parent_id) or parents.get(item.parent_id) if item.parent_id else None
            category = existing.get(known.get(item.external_id))
            if category is None:
                parent = Category.objects.get(pk=parent_pk) if parent_pk else None
                category = catalog_services.category_create(
                    name=name, slug=slugs.take(name, item.external_id), parent=parent
                )
                new_pairs.append((item.external_id, category.pk))
                result[item.external_id] = category.pk
                counts["created"] = counts.get("created", 0) + 1
                continue
            result[item.external_id] = category.pk
            changed = False
            if category.name != name:
                category.name = name
                category.save(update_fields=["name"])
                changed = True
            current_parent = category.get_parent()
            if (current_parent.pk if current_parent else None) != parent_pk:
                if parent_pk:
                    catalog_services.category_move(
                        category=category, target=Category.objects.get(pk=parent_pk), position="last-child"
                    )
                else:
                    catalog_services.category_move(
                        category=category, target=category.get_root(), position="last-sibling"
                    )
                changed = True
            counts["updated" if changed else "unchanged"] = counts.get("updated" if changed else "unchanged", 0) + 1
        self._ids_set(ExternalKind.CATEGORY, new_pairs)
        self._finish_batch("category", counts)
        return result

    @staticmethod
    def _category_name(item):
        return (item.name or "").strip()[:150] or item.external_id[:150]

    def _slugs(self, model, field, scope=None):
        """Правило кодов нового атрибута, значения или прайс-листа (integrations.core.slugs)."""
        return ExternalSlugs(
            model=model, connection=self.connection, field=field, max_length=64, base_length=50, scope=scope
        )

    def _fallback_category(self):
        if getattr(self, "_fallback_pk", None):
            return self._fallback_pk
        self._fallback_pk = self._fallback_category_load()
        return self._fallback_pk

    def _fallback_category_load(self):
        pk = self._ids(ExternalKind.CATEGORY, [FALLBACK_CATEGORY_ID]).get(FALLBACK_CATEGORY_ID)
        if pk and Category.objects.filter(pk=pk).exists():
            return pk
        mapping = self.categories_upsert([CategoryIn(FALLBACK_CATEGORY_ID, self.fallback_category_name)])
        return mapping[FALLBACK_CATEGORY_ID]

    # --- атрибуты --------------------------------------------------------------------------

    def _attribute(self, value_in):
        """Найти или создать атрибут по внешнему id или названию; вернуть dict(id, type)."""
        key = value_in.external_id or f"name:{_norm(value_in.name)}"
        if key in self._attributes:
            return self._attributes[key]
        pk = self._ids(ExternalKind.ATTRIBUTE, [key]).get(key)
        attribute = Attribute.objects.filter(pk=pk).values("id", "type").first() if pk else None
        if attribute is None:
            attribute = Attribute.objects.filter(name__iexact=value_in.name.strip()[:150]).values("id", "type").first()
        if attribute is None:
            code = self._slugs(Attribute, "code").take(value_in.name, key)
            kind = value_in.kind if value_in.kind in AttributeType.values else AttributeType.CHOICE
            created = Attribute.objects.create(code=code, name=value_in.name.strip()[:150] or code, type=kind)
            attribute = {"id": created.pk, "type": created.type}
        self._ids_set(ExternalKind.ATTRIBUTE, [(key, attribute["id"])])
        attribute["choices"] = {
            _norm(label): choice_id
            for choice_id, label in AttributeChoice.objects.filter(attribute_id=attribute["id"]).values_list(
                "id", "label"
            )
        }
        self._attributes[key] = attribute
        return attribute

    def _attribute_value(self, value_in):
        """Вернуть (id атрибута, поля значения) или None, если значение не подходит к типу атрибута."""
        text = (value_in.value or "").strip()
        if not text or not value_in.name.strip():
            return None
        attribute = self._attribute(value_in)
        kind = attribute["type"]
        if kind == AttributeType.CHOICE:
            choice_id = attribute["choices"].get(_norm(text))
            if choice_id is None:
                value = self._slugs(AttributeChoice, "value", scope={"attribute_id": attribute["id"]}).take(text, text)
                choice_id = AttributeChoice.objects.create(
                    attribute_id=attribute["id"], value=value, label=text[:150]
                ).pk
                attribute["choices"][_norm(text)] = choice_id
            return attribute["id"], {"choice_id": choice_id}
        if kind == AttributeType.NUMBER:
            try:
                number = Decimal(text.replace(",", ".").replace(" ", "")).quantize(Decimal("0.0001"))
            except InvalidOperation:
                return None
            return attribute["id"], {"value_number": number}
        if kind == AttributeType.BOOLEAN:
            return attribute["id"], {"value_boolean": _norm(text) in {"true", "да", "1", "yes"}}
        return attribute["id"], {"value_text": text[:255]}

    def _attribute_rows(self, values):
        rows = {}
        for value_in in values:
            resolved = self._attribute_value(value_in)
            if resolved is not None:
                rows[resolved[0]] = resolved[1]
        return rows

    # --- изображения -----------------------------------------------------------------------

    def _image_ids(self, images, title):
        """Вернуть id изображений Wagtail для файлов (повторный файл с тем же содержимым — то же изображение)."""
        ids = []
        for image_in in images:
            image_id = self.image_get_or_create(image_in, title=title)
            if image_id is not None and image_id not in ids:
                ids.append(image_id)
        return ids

    def image_get_or_create(self, image_in, *, title=""):
        """Вернуть id изображения Wagtail для картинки: готовое, то же содержимое (SHA-1) или новое.

        Коннектор, который скачивает картинки сам (МойСклад), вызывает это один раз на файл и
        запоминает id, чтобы не скачивать файл снова. Нечитаемый или отсутствующий файл — ошибка
        в журнале и None.
        """
        if image_in.image_id is not None:
            return image_in.image_id
        image_model = get_image_model()
        path = Path(image_in.path)
        if not path.is_file():
            self._report_once(("image", str(path)), path.name, _("Файл картинки не загружен."))
            return None
        digest = hashlib.sha1(usedforsecurity=False)
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        image_id = image_model.objects.filter(file_hash=digest.hexdigest()).values_list("id", flat=True).first()
        if image_id is not None:
            return image_id
        with path.open("rb") as handle:
            image = image_model(title=(image_in.title or title or path.stem)[:255])
            image.file = File(handle, name=path.name)
            try:
                # Размер и SHA-1 файла (по нему — поиск того же содержимого при повторе).
                image._set_image_file_metadata()
                image.save()
            except Exception as error:  # noqa: BLE001 — битая картинка не должна ронять загрузку товара
                self._report_once(("image", str(path)), path.name, _("Картинка не читается: %s") % error)
                return None
        return image.pk

    @transaction.atomic
    def product_images_set(self, images_by_product):
        """Заменить галереи уже загруженных товаров: {внешний id товара: [ImageIn по порядку]}.

        Для коннекторов, которые получают картинки отдельно от товара (МойСклад: картинки товара
        и его модификаций скачиваются после записи страниц). Галерея товара, чьи картинки правят на
        сайте (``images`` в ``keep_fields``), не меняется — кроме товаров, созданных этой загрузкой.
        Неизвестный товар пропускается. Вернуть число изменённых галерей.
        """
        known = self._ids(ExternalKind.PRODUCT, list(images_by_product))
        if "images" in self.keep_fields:
            known = {key: pk for key, pk in known.items() if key in self.created_products}
        current = {}
        for product_id, image_id in (
            ProductImage.objects.filter(product_id__in=list(known.values()))
            .order_by("product_id", "sort_order", "id")
            .values_list("product_id", "image_id")
        ):
            current.setdefault(product_id, []).append(image_id)
        changed = {}
        for external_id, images in images_by_product.items():
            product_pk = known.get(external_id)
            if product_pk is None:
                continue
            image_ids = self._image_ids(images, "")
            if current.get(product_pk, []) != image_ids:
                changed[product_pk] = image_ids
        catalog_services.product_images_bulk_set(images_by_product=changed)
        catalog_services.catalog_denormalized_refresh(product_ids=list(changed))
        if changed:
            self._finish_batch("image", {"updated": len(changed)})
        return len(changed)

    def products_with_images(self, external_ids):
        """Вернуть внешние id товаров подключения, у которых в магазине есть картинки."""
        known = self._ids(ExternalKind.PRODUCT, external_ids)
        if not known:
            return set()
        with_images = set(
            ProductImage.objects.filter(product_id__in=list(known.values())).values_list("product_id", flat=True)
        )
        return {external for external, pk in known.items() if pk in with_images}

    # --- товары ----------------------------------------------------------------------------

    def products_upsert(self, products):
        """Создать или обновить товары с их вариантами; одна транзакция на пачку."""
        with transaction.atomic():
            touched = self._products_upsert(products)
            self._refresh(touched, structure=True)

    def _products_upsert(self, products):
        products = list({item.external_id: item for item in products}.values())
        known = self._ids(ExternalKind.PRODUCT, [item.external_id for item in products])
        existing = Product.objects.in_bulk(list(known.values()))
        category_ids = set()
        for item in products:
            category_ids.update(item.category_ids or [])
        categories = self._ids(ExternalKind.CATEGORY, category_ids)
        current_extra = {}
        for product_id, category_id in Product.extra_categories.through.objects.filter(
            product_id__in=list(existing)
        ).values_list("product_id", "category_id"):
            current_extra.setdefault(product_id, []).append(category_id)
        current_images = {}
        for product_id, image_id in (
            ProductImage.objects.filter(product_id__in=list(existing))
            .order_by("product_id", "sort_order", "id")
            .values_list("product_id", "image_id")
        ):
            current_images.setdefault(product_id, []).append(image_id)
        current_attrs = self._values_load(ProductAttributeValue, "product_id", list(existing))

        new_products, updates, update_fields = [], [], set()
        extra_set, images_set, attr_rows = {}, {}, []
        counts = {}
        changed_ids = set()
        pending = []  # (item, product) для новых: id появится после записи
        slugs = ExternalSlugs(model=Product, connection=self.connection, max_length=255, base_length=200)
        slugs.reserve(
            [(self._product_name(item), item.external_id) for item in products if item.external_id not in known]
        )
        for item in products:
            self.seen_products.add(item.external_id)
            name = self._product_name(item)
            description = self._description(item)
            main, extra = self._categories(item, categories)
            product = existing.get(known.get(item.external_id))
            is_new = product is None
            if is_new:
                if main is None:
                    main = self._fallback_category()
                product = Product(
                    name=name,
                    slug=slugs.take(name, item.external_id),
                    description=description or "",
                    main_category_id=main,
                    is_active=item.active,
                    **_unit_vat_fields(item),
                )
                new_products.append(product)
                pending.append((item, product, extra))
                continue
            diff = {}
            if "name" not in self.keep_fields and product.name != name:
                diff["name"] = name
            if "description" not in self.keep_fields and description is not None and product.description != description:
                diff["description"] = description
            if "categories" not in self.keep_fields and main is not None and product.main_category_id != main:
                diff["main_category_id"] = main
            if product.is_active != item.active:
                diff["is_active"] = item.active
            for field_name, value in _unit_vat_fields(item).items():
                if getattr(product, field_name) != value:
                    diff[field_name] = value
            for field_name, value in diff.items():
                setattr(product, field_name, value)
            if diff:
                updates.append(product)
                update_fields.update(diff)
            changed = bool(diff)
            keep_categories = "categories" in self.keep_fields or item.category_ids is None
            if not keep_categories and sorted(set(current_extra.get(product.pk, []))) != sorted(set(extra)):
                extra_set[product.pk] = extra
                changed = True
            if "images" not in self.keep_fields and item.images is not None:
                image_ids = self._image_ids(item.images, name)
                if current_images.get(product.pk, []) != image_ids:
                    images_set[product.pk] = image_ids
                    changed = True
            wanted = self._attribute_rows(item.attributes)
            for attribute_id, values in wanted.items():
                if not self._value_equal(current_attrs.get((product.pk, attribute_id)), values):
                    attr_rows.append((product.pk, attribute_id, values))
                    changed = True
            if changed:
                changed_ids.add(product.pk)
            counts["updated" if changed else "unchanged"] = counts.get("updated" if changed else "unchanged", 0) + 1

        if new_products:
            catalog_services.products_bulk_create(products=new_products)
            new_pairs = []
            for item, product, extra in pending:
                new_pairs.append((item.external_id, product.pk))
                self.created_products.add(item.external_id)
                if extra:
                    extra_set[product.pk] = extra
                if item.images:
                    images_set[product.pk] = self._image_ids(item.images, product.name)
                for attribute_id, values in self._attribute_rows(item.attributes).items():
                    attr_rows.append((product.pk, attribute_id, values))
                changed_ids.add(product.pk)
            self._ids_set(ExternalKind.PRODUCT, new_pairs)
            counts["created"] = counts.get("created", 0) + len(new_products)
        catalog_services.products_bulk_update(products=updates, fields=update_fields)
        catalog_services.product_extra_categories_set(categories_by_product=extra_set)
        catalog_services.product_images_bulk_set(images_by_product=images_set)
        catalog_services.attribute_values_bulk_set(
            model=ProductAttributeValue, owner_field="product_id", rows=attr_rows
        )
        self._finish_batch("product", counts)

        # Товар без вариантов в файле получает вариант с внешним id товара — если у него ещё
        # нет своих вариантов (их могли объявить предложения: «<товар>#<характеристика>»).
        plain = [item.external_id for item in products if not item.variants and item.external_id in known]
        own_default = self._ids(ExternalKind.VARIANT, plain)
        with_variants = set(
            Variant.objects.filter(product_id__in=[known[key] for key in plain if key not in own_default])
            .values_list("product_id", flat=True)
            .distinct()
        )
        variants = []
        for item in products:
            if item.variants:
                variants.extend(item.variants)
            elif item.external_id not in own_default and known.get(item.external_id) in with_variants:
                continue
            else:
                variants.append(
                    VariantIn(
                        external_id=item.external_id,
                        product_id=item.external_id,
                        sku=item.sku,
                        name=None,
                        barcode=item.barcode,
                        weight_grams=item.weight_grams,
                        active=item.active,
                    )
                )
        changed_ids |= self._variants_upsert(variants, count=False)
        return changed_ids

    @staticmethod
    def _product_name(item):
        return (item.name or "").strip()[:255] or item.external_id[:255]

    def _description(self, item):
        if item.description is not None:
            return item.description.strip()
        if item.description_text is not None:
            paragraphs = [part.strip() for part in item.description_text.replace("\r", "").split("\n\n")]
            return "".join(f"<p>{html.escape(part).replace(chr(10), '<br/>')}</p>" for part in paragraphs if part)
        return None

    def _categories(self, item, categories):
        if item.category_ids is None:
            return None, []
        resolved = [categories[value] for value in item.category_ids if value in categories]
        if not resolved:
            return None, []
        return resolved[0], resolved[1:]

    def _values_load(self, model, owner_field, owner_ids):
        if not owner_ids:
            return {}
        rows = model.objects.filter(**{f"{owner_field}__in": owner_ids}).values_list(
            owner_field, "attribute_id", "choice_id", "value_text", "value_number", "value_boolean"
        )
        return {
            (owner, attribute): {
                "choice_id": choice,
                "value_text": text,
                "value_number": number,
                "value_boolean": boolean,
            }
            for owner, attribute, choice, text, number, boolean in rows
        }

    @staticmethod
    def _value_equal(current, wanted):
        if current is None:
            return False
        full = {"choice_id": None, "value_text": "", "value_number": None, "value_boolean": None, **wanted}
        number = current["value_number"]
        if number is not None and not isinstance(number, Decimal):
            number = Decimal(str(number))
        if number is not None and full["value_number"] is not None:
            if number.compare(Decimal(full["value_number"])) != 0:
                return False
        elif number != full["value_number"]:
            return False
        boolean = None if current["value_boolean"] is None else bool(current["value_boolean"])
        return (
            current["choice_id"] == full["choice_id"]
            and (current["value_text"] or "") == full["value_text"]
            and boolean == full["value_boolean"]
        )

    # --- варианты --------------------------------------------------------------------------

    def variants_upsert(self, variants):
        """Создать или обновить варианты уже загруженных товаров (варианты из файла предложений)."""
        with transaction.atomic():
            touched = self._variants_upsert(variants, count=True)
            self._refresh(touched)

    def _variants_upsert(self, variants, *, count):
        variants = list({item.external_id: item for item in variants}.values())
        products = self._ids(ExternalKind.PRODUCT, [item.product_id for item in variants])
        known = self._ids(ExternalKind.VARIANT, [item.external_id for item in variants])
        existing = Variant.objects.in_bulk(list(known.values()))
        current_attrs = self._values_load(VariantAttributeValue, "variant_id", list(existing))
        # Вариант товара без характеристик, созданный загрузкой товара, уступает место первому
        # настоящему варианту из предложений (1С: «<товар>#<характеристика>»).
        placeholder = self._ids(ExternalKind.VARIANT, [item.product_id for item in variants])
        placeholder_variants = Variant.objects.in_bulk(list(set(placeholder.values()) - set(known.values())))
        placeholders_taken = []
        candidates = {self._sku_candidate(item) for item in variants}
        barcodes = {item.barcode for item in variants if item.barcode}
        taken_skus = dict(Variant.objects.filter(sku__in=candidates).values_list("sku", "id"))
        taken_barcodes = dict(Variant.objects.filter(barcode__in=barcodes).values_list("barcode", "id"))
        skus = ExternalSlugs(
            model=Variant, field="sku", connection=self.connection, max_length=64, make_base=code_as_is
        )
        skus.reserve(
            [(self._sku_candidate(item), item.external_id) for item in variants if item.external_id not in known]
        )
        counts, touched = {}, set()
        new_variants, pending, updates, fields, attr_rows, pairs = [], [], [], set(), [], []
        for item in variants:
            product_pk = products.get(item.product_id)
            if product_pk is None:
                counts["skipped"] = counts.get("skipped", 0) + 1
                self._error(
                    item.external_id, _("Товар %(id)s не загружен: вариант пропущен.") % {"id": item.product_id}
                )
                continue
            variant = existing.get(known.get(item.external_id))
            if variant is None and item.external_id != item.product_id:
                variant = placeholder_variants.pop(placeholder.pop(item.product_id, None), None)
                if variant is not None and variant.product_id != product_pk:
                    variant = None
                if variant is not None:
                    pairs.append((item.external_id, variant.pk))
                    placeholders_taken.append(item.product_id)
                    known[item.external_id] = variant.pk
                    existing[variant.pk] = variant
            barcode = item.barcode if item.barcode and ean13_is_valid(item.barcode) else None
            if barcode and taken_barcodes.get(barcode) not in (None, getattr(variant, "pk", None)):
                self._report_once(
                    ("barcode", barcode), item.external_id, _("Штрихкод %s уже у другого варианта.") % barcode
                )
                barcode = None
            weight = item.weight_grams if item.weight_grams is None or item.weight_grams >= 0 else None
            if variant is None:
                sku = skus.take(self._sku_candidate(item), item.external_id)
                taken_skus[sku] = None
                if barcode:
                    taken_barcodes[barcode] = None
                variant = Variant(
                    product_id=product_pk,
                    sku=sku,
                    name=(item.name or "")[:255],
                    barcode=barcode,
                    weight_grams=weight,
                    is_active=item.active,
                )
                new_variants.append(variant)
                pending.append((item, variant))
                touched.add(product_pk)
                continue
            diff = {}
            sku = item.sku.strip()[:64]
            if sku and sku != variant.sku and taken_skus.get(sku, variant.pk) == variant.pk:
                diff["sku"] = sku
                taken_skus[sku] = variant.pk
                skus.claim(sku)
            if item.name is not None and (item.name or "")[:255] != variant.name:
                diff["name"] = (item.name or "")[:255]
            if barcode and barcode != variant.barcode:
                diff["barcode"] = barcode
            if weight is not None and weight != variant.weight_grams:
                diff["weight_grams"] = weight
            if variant.is_active != item.active:
                diff["is_active"] = item.active
            if variant.product_id != product_pk:
                diff["product_id"] = product_pk
            for field_name, value in diff.items():
                setattr(variant, field_name, value)
            changed = bool(diff)
            if diff:
                updates.append(variant)
                fields.update(diff)
            for attribute_id, values in self._attribute_rows(item.attributes).items():
                if not self._value_equal(current_attrs.get((variant.pk, attribute_id)), values):
                    attr_rows.append((variant.pk, attribute_id, values))
                    changed = True
            if changed:
                touched.add(product_pk)
            counts["updated" if changed else "unchanged"] = counts.get("updated" if changed else "unchanged", 0) + 1
        if new_variants:
            catalog_services.variants_bulk_create(variants=new_variants)
            for item, variant in pending:
                pairs.append((item.external_id, variant.pk))
                for attribute_id, values in self._attribute_rows(item.attributes).items():
                    attr_rows.append((variant.pk, attribute_id, values))
            counts["created"] = counts.get("created", 0) + len(new_variants)
        if placeholders_taken:
            # Вариант-заглушка товара теперь известен под Ид характеристики: прежнее сопоставление убрать.
            ExternalId.objects.filter(
                connection=self.connection, kind=ExternalKind.VARIANT, external_id__in=placeholders_taken
            ).delete()
        self._ids_set(ExternalKind.VARIANT, pairs)
        catalog_services.variants_bulk_update(variants=updates, fields=fields)
        catalog_services.attribute_values_bulk_set(
            model=VariantAttributeValue, owner_field="variant_id", rows=attr_rows
        )
        if count:
            self._finish_batch("variant", counts)
        else:
            # Варианты товаров из файла товаров считаются вместе с товарами, кроме пропусков.
            for action in ("skipped",):
                if counts.get(action):
                    self._finish_batch("variant", {action: counts[action]})
        return touched

    @staticmethod
    def _sku_candidate(item):
        if item.sku:
            return item.sku.strip()[:64]
        return f"ext-{short_hash(item.external_id, 12)}"

    # --- цены и остатки --------------------------------------------------------------------

    def _price_list_id(self, price_in):
        """Найти наш прайс-лист для типа цен: настройка → сопоставление → по названию → новый базовый."""
        key = price_in.price_list_id
        if key in self._price_lists:
            return self._price_lists[key]
        code = self.price_list_options.get(key) or self.price_list_options.get(price_in.price_list_name)
        pk = None
        if code:
            pk = PriceList.objects.filter(code=code).values_list("id", flat=True).first()
            if pk is None:
                self._report_once(
                    ("price_list", key),
                    price_in.price_list_name or key,
                    _("В настройках указан несуществующий прайс-лист «%s».") % code,
                )
        if pk is None and not code:
            pk = self._ids(ExternalKind.PRICE_LIST, [key]).get(key)
            if pk is None and price_in.price_list_name:
                pk = (
                    PriceList.objects.filter(name__iexact=price_in.price_list_name.strip())
                    .values_list("id", flat=True)
                    .first()
                )
            if pk is None and not PriceList.objects.filter(region__isnull=True).exists():
                name = (price_in.price_list_name or key)[:150]
                code = self._slugs(PriceList, "code").take(name, key)
                pk = PriceList.objects.create(code=code, name=name).pk
                self._report_once(
                    ("price_list_new", key), name, _("Создан базовый прайс-лист «%s» для нового типа цен.") % name
                )
            if pk is None:
                self._report_once(
                    ("price_list", key),
                    price_in.price_list_name or key,
                    _("Тип цен не сопоставлен прайс-листу: задайте его в настройке price_types; цены пропущены."),
                )
            else:
                self._ids_set(ExternalKind.PRICE_LIST, [(key, pk)])
        self._price_lists[key] = pk
        return pk

    def _warehouse_id(self, stock_in):
        key = stock_in.warehouse_id
        if key in self._warehouses:
            return self._warehouses[key]
        code = self.warehouse_options.get(key) or self.warehouse_options.get(stock_in.warehouse_name)
        if code:
            pk = Warehouse.objects.filter(code=code).values_list("id", flat=True).first()
        else:
            pk = self._ids(ExternalKind.WAREHOUSE, [key]).get(key)
            if pk is None and stock_in.warehouse_name:
                pk = (
                    Warehouse.objects.filter(name__iexact=stock_in.warehouse_name.strip())
                    .values_list("id", flat=True)
                    .first()
                )
            if pk is None and key == TOTAL_WAREHOUSE and Warehouse.objects.count() == 1:
                pk = Warehouse.objects.values_list("id", flat=True).first()
        if pk is None:
            self._report_once(
                ("warehouse", key),
                stock_in.warehouse_name or key or _("общий остаток"),
                _("Склад не сопоставлен: задайте его в настройке warehouses; остатки пропущены."),
            )
        elif not code:
            self._ids_set(ExternalKind.WAREHOUSE, [(key, pk)])
        self._warehouses[key] = pk
        return pk

    def prices_set(self, prices):
        """Установить цены пачкой; неизменённые цены считаются «без изменений»."""

        with transaction.atomic():
            variants = self._ids(ExternalKind.VARIANT, [item.variant_id for item in prices])
            wanted, counts = {}, {}
            for item in prices:
                variant_pk = variants.get(item.variant_id)
                price_list_pk = self._price_list_id(item)
                if variant_pk is None or price_list_pk is None or not self._currency_matches(item, price_list_pk):
                    counts["skipped"] = counts.get("skipped", 0) + 1
                    continue
                wanted[(variant_pk, price_list_pk)] = Decimal(item.price).quantize(Decimal("0.01"))
            current = {
                (variant, price_list): Decimal(str(price)).quantize(Decimal("0.01"))
                for variant, price_list, price in VariantPrice.objects.filter(
                    variant_id__in={key[0] for key in wanted}
                ).values_list("variant_id", "price_list_id", "price")
            }
            rows = []
            for key, price in wanted.items():
                if key not in current:
                    counts["created"] = counts.get("created", 0) + 1
                elif current[key] != price:
                    counts["updated"] = counts.get("updated", 0) + 1
                else:
                    counts["unchanged"] = counts.get("unchanged", 0) + 1
                    continue
                rows.append((*key, price))
            pricing_services.variant_prices_bulk_set(rows=rows)
            self._refresh(self._products_of({row[0] for row in rows}), reindex=False)
            self._finish_batch("price", counts)

    def _currency_matches(self, price_in, price_list_pk):
        """Проверить валюту цены по валюте прайс-листа (если система её назвала); расхождение — в журнал."""
        if not price_in.currency:
            return True
        if not hasattr(self, "_currencies"):
            self._currencies = {}
        if price_list_pk not in self._currencies:
            self._currencies[price_list_pk] = (
                PriceList.objects.filter(pk=price_list_pk).values_list("currency", flat=True).first()
            )
        ours = self._currencies[price_list_pk]
        theirs = price_in.currency.strip().upper()
        if theirs == ours:
            return True
        self._report_once(
            ("currency", price_in.price_list_id, theirs),
            price_in.price_list_name or price_in.price_list_id,
            _("Валюта цен %(theirs)s не совпадает с валютой прайс-листа %(ours)s: цены пропущены.")
            % {"theirs": theirs, "ours": ours},
        )
        return False

    def stocks_set(self, stocks):
        """Установить остатки пачкой (по складам); неизменённые считаются «без изменений»."""

        with transaction.atomic():
            variants = self._ids(ExternalKind.VARIANT, [item.variant_id for item in stocks])
            wanted, counts = {}, {}
            for item in stocks:
                variant_pk = variants.get(item.variant_id)
                warehouse_pk = self._warehouse_id(item)
                if variant_pk is None or warehouse_pk is None:
                    counts["skipped"] = counts.get("skipped", 0) + 1
                    continue
                wanted[(variant_pk, warehouse_pk)] = _quantity(item.quantity)
            current = {
                (variant, warehouse): quantity
                for variant, warehouse, quantity in Stock.objects.filter(
                    variant_id__in={key[0] for key in wanted}
                ).values_list("variant_id", "warehouse_id", "quantity")
            }
            rows = []
            for key, quantity in wanted.items():
                if key not in current:
                    counts["created"] = counts.get("created", 0) + 1
                elif current[key] != quantity:
                    counts["updated"] = counts.get("updated", 0) + 1
                else:
                    counts["unchanged"] = counts.get("unchanged", 0) + 1
                    continue
                rows.append((*key, quantity))
            raised = inventory_services.stocks_bulk_set(rows=rows)
            for variant_pk, _warehouse_pk, asked, kept in raised[:10]:
                self._error(
                    f"variant {variant_pk}",
                    _("Остаток %(asked)s меньше резерва заказов: оставлено %(kept)s.") % {"asked": asked, "kept": kept},
                )
            self._refresh(self._products_of({row[0] for row in rows}), reindex=False)
            self._finish_batch("stock", counts)

    @staticmethod
    def _products_of(variant_ids):
        if not variant_ids:
            return set()
        return set(Variant.objects.filter(pk__in=variant_ids).values_list("product_id", flat=True))

    # --- снятие с продажи ------------------------------------------------------------------

    @transaction.atomic
    def products_deactivate(self, external_ids):
        """Снять с продажи товары по внешним id (удалены во внешней системе); вернуть их число."""
        known = self._ids(ExternalKind.PRODUCT, external_ids)
        products = list(Product.objects.filter(pk__in=list(known.values()), is_active=True))
        for product in products:
            product.is_active = False
        catalog_services.products_bulk_update(products=products, fields={"is_active"})
        ids = [product.pk for product in products]
        self._refresh(ids)
        self._finish_batch("product", {"updated": len(ids), "unchanged": len(external_ids) - len(ids)})
        return len(ids)

    @transaction.atomic
    def variants_deactivate(self, external_ids):
        """Снять с продажи варианты по внешним id (удалены во внешней системе); вернуть их число."""
        known = self._ids(ExternalKind.VARIANT, external_ids)
        variants = list(Variant.objects.filter(pk__in=list(known.values()), is_active=True))
        for variant in variants:
            variant.is_active = False
        catalog_services.variants_bulk_update(variants=variants, fields={"is_active"})
        self._refresh({variant.product_id for variant in variants})
        self._finish_batch("variant", {"updated": len(variants), "unchanged": len(external_ids) - len(variants)})
        return len(variants)

    @transaction.atomic
    def deactivate(self, external_ids):
        """Снять с продажи товары и варианты с этими внешними id (удалены в системе); вернуть их число.

        Товары и варианты не удаляются: на них ссылаются заказы, а вернувшийся объект снова включится
        загрузкой (``active=True``). Для систем, где один список удалённых содержит и товары, и варианты.
        """
        external_ids = [str(value) for value in external_ids]
        return self.products_deactivate(external_ids) + self.variants_deactivate(external_ids)

    # --- полная выгрузка -------------------------------------------------------------------

    @transaction.atomic
    def products_deactivate_missing(self):
        """Снять с продажи товары этого подключения, которых не было в полной выгрузке; вернуть их число."""
        mapped = dict(
            ExternalId.objects.filter(connection=self.connection, kind=ExternalKind.PRODUCT).values_list(
                "external_id", "object_id"
            )
        )
        missing = [int(pk) for external, pk in mapped.items() if external not in self.seen_products]
        products = list(Product.objects.filter(pk__in=missing, is_active=True))
        for product in products:
            product.is_active = False
        catalog_services.products_bulk_update(products=products, fields={"is_active"})
        ids = [product.pk for product in products]
        self._refresh(ids)
        if ids:
            self._finish_batch("product", {"updated": len(ids)})
        return len(ids)
