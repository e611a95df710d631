"""Каталог: дерево категорий, бренды, типизированные атрибуты, товары, варианты (SKU), изображения.

Инварианты, которые держит база: уникальные slug и артикулы, внешние id уникальны в пределах
системы, значение атрибута хотя бы в одном поле, неотрицательные размеры и вес.

Для скорости витрины у товара есть денормализованные таблицы: ``ProductCategoryIndex``
(основная и дополнительные категории со всеми предками) и ``ProductChoiceIndex`` (значения
атрибутов-списков товара и его вариантов): фильтр «в категории и ниже» и фильтр по значениям
становятся одним индексным полусоединением. Их пересчитывает ``indexing.product_index_refresh``
(из Product.save и сигналов), а предложение товара в регионе (цена, наличие) — таблица
``ProductOffer``, её пересчитывает ``offers.product_offer_refresh``. Всё переносимо: работает
и на PostgreSQL, и на встроенном SQLite для `make run`.
"""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from treebeard.mp_tree import MP_Node
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

SLUG_VALIDATOR = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", _("Только строчные латинские буквы, цифры и дефисы (например, smartfony).")
)


def ean13_is_valid(code):
    """Проверить контрольную цифру EAN-13."""
    if len(code) != 13 or not code.isdigit():
        return False
    digits = [int(char) for char in code]
    checksum = sum(digit * (3 if index % 2 else 1) for index, digit in enumerate(digits[:12]))
    return (10 - checksum % 10) % 10 == digits[12]


def validate_ean13(value):
    """Отклонить штрихкод, который не является корректным EAN-13."""
    if not ean13_is_valid(value):
        raise ValidationError(_("Штрихкод должен быть EAN-13: 13 цифр с верной контрольной цифрой."))


class ExternalSystem(models.TextChoices):
    """Внешние системы, из которых приходят сущности каталога."""

    ONEC = "1c", _("1С (GUID)")
    MOYSKLAD = "moysklad", _("МойСклад (UUID)")
    ERPNEXT = "erpnext", _("ERPNext (item_code)")
    OTHER = "other", _("Другая система")


class ExternalId(models.Model):
    """Идентификатор сущности во внешней системе — для идемпотентной синхронизации.

    Один и тот же внешний id в пределах системы и типа сущности принадлежит ровно одному объекту;
    у объекта не больше одного id в каждой системе.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("тип"))
    object_id = models.BigIntegerField(_("id объекта"))
    content_object = GenericForeignKey("content_type", "object_id")
    system = models.CharField(_("система"), max_length=16, choices=ExternalSystem.choices)
    value = models.CharField(_("внешний id"), max_length=100)

    class Meta:
        verbose_name = _("внешний идентификатор")
        verbose_name_plural = _("внешние идентификаторы")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "system", "value"], name="catalog_externalid_unique_value_per_system"
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "system"], name="catalog_externalid_one_per_object_system"
            ),
            models.CheckConstraint(condition=~Q(value=""), name="catalog_externalid_value_not_empty"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="catalog_extid_object_idx")]

    def __str__(self):
        return f"{self.system}:{self.value}"


class SeoFields(models.Model):
    """Поля SEO, общие для категорий и товаров."""

    seo_title = models.CharField(_("заголовок SEO"), max_length=255, blank=True)
    seo_description = models.TextField(_("описание SEO"), blank=True)

    class Meta:
        abstract = True


class Brand(index.Indexed, models.Model):
    """Бренд (производитель) товара."""

    name = models.CharField(_("название"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True, validators=[SLUG_VALIDATOR])
    description = models.TextField(_("описание"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("логотип"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("активен"), default=True)
    external_ids = GenericRelation(ExternalId)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("бренд")
        verbose_name_plural = _("бренды")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AttributeType(models.TextChoices):
    """Тип значения атрибута."""

    TEXT = "text", _("Текст")
    NUMBER = "number", _("Число")
    BOOLEAN = "boolean", _("Да/нет")
    CHOICE = "choice", _("Выбор из списка")


class Attribute(index.Indexed, ClusterableModel):
    """Типизированный атрибут (цвет, размер, диагональ), привязываемый к категориям.

    По атрибутам категорий строятся фильтры витрины: списки — по значениям, числа — диапазоном,
    да/нет — флажком. Текстовые атрибуты только показываются.
    """

    code = models.SlugField(_("код"), max_length=64, unique=True, validators=[SLUG_VALIDATOR])
    name = models.CharField(_("название"), max_length=150)
    type = models.CharField(_("тип"), max_length=16, choices=AttributeType.choices, default=AttributeType.CHOICE)
    unit = models.CharField(_("единица измерения"), max_length=20, blank=True, help_text=_("Например: см, кг, дюйм."))
    is_filterable = models.BooleanField(_("фильтр на витрине"), default=True)
    sort_order = models.IntegerField(_("порядок"), default=0)
    external_ids = GenericRelation(ExternalId)

    search_fields = [index.SearchField("name"), index.AutocompleteField("code")]

    class Meta:
        verbose_name = _("атрибут")
        verbose_name_plural = _("атрибуты")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return f"{self.name}, {self.unit}" if self.unit else self.name


class AttributeChoice(Orderable):
    """Допустимое значение атрибута-списка (красный, XL)."""

    attribute = ParentalKey(Attribute, on_delete=models.CASCADE, related_name="choices", verbose_name=_("атрибут"))
    value = models.SlugField(_("код значения"), max_length=64, validators=[SLUG_VALIDATOR])
    label = models.CharField(_("подпись"), max_length=150)

    class Meta(Orderable.Meta):
        verbose_name = _("значение атрибута")
        verbose_name_plural = _("значения атрибута")
        constraints = [
            models.UniqueConstraint(fields=["attribute", "value"], name="catalog_attributechoice_unique_value"),
        ]

    def __str__(self):
        return self.label


class Category(index.Indexed, MP_Node, SeoFields):
    """Категория дерева каталога (материализованный путь django-treebeard).

    Путь ``path`` даёт поддерево одним префиксным сравнением; порядок братьев — порядок путей
    (перемещение меняет его). Фильтр товаров по поддереву идёт не по пути, а по
    денормализованному ``Product.category_ids``.
    """

    name = models.CharField(_("название"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True, validators=[SLUG_VALIDATOR])
    description = RichTextField(_("описание"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("изображение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("активна"), default=True)
    attributes = models.ManyToManyField(
        Attribute, through="CategoryAttribute", related_name="categories", blank=True, verbose_name=_("атрибуты")
    )
    external_ids = GenericRelation(ExternalId)

    node_order_by = []

    # Поиск (commerce.search): категории в выдаче и подсказках; slug, path и depth — для
    # поиска и сортировки в списке категорий админки (он идёт через тот же бэкенд).
    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("slug"),
        index.AutocompleteField("slug"),
        index.FilterField("is_active"),
        index.FilterField("path"),
        index.FilterField("depth"),
    ]

    class Meta:
        verbose_name = _("категория")
        verbose_name_plural = _("категории")
        indexes = [
            # Поддерево по префиксу пути (path LIKE '0001%'): varchar_pattern_ops работает при любой
            # сортировке базы, обычный уникальный индекс на path — только при collation "C".
            models.Index(fields=["path"], opclasses=["varchar_pattern_ops"], name="catalog_category_path_prefix"),
        ]

    def __str__(self):
        return self.name


class CategoryAttribute(Orderable):
    """Привязка атрибута к категории: он станет фильтром в ней и во всех её подкатегориях."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="category_attributes")
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="category_links")

    class Meta(Orderable.Meta):
        verbose_name = _("атрибут категории")
        verbose_name_plural = _("атрибуты категории")
        constraints = [
            models.UniqueConstraint(fields=["category", "attribute"], name="catalog_categoryattribute_unique"),
        ]


class VatRate(models.TextChoices):
    """Ставка НДС товара (как её называет 1С в «СтавкаНалога»); пусто — ставка магазина по умолчанию."""

    NONE = "none", _("без НДС")
    VAT_0 = "0", _("0 %")
    VAT_5 = "5", _("5 %")
    VAT_7 = "7", _("7 %")
    VAT_10 = "10", _("10 %")
    VAT_20 = "20", _("20 %")
    VAT_22 = "22", _("22 %")


class Product(index.Indexed, ClusterableModel, SeoFields):
    """Товар: то, что видит покупатель в списке. Продаётся всегда конкретный вариант (Variant).

    У товара всегда хотя бы один вариант: services.product_create создаёт его сразу, форма
    админки требует минимум один. Товар без варианта на витрине показан недоступным.
    """

    name = models.CharField(_("название"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, validators=[SLUG_VALIDATOR])
    description = RichTextField(_("описание"), blank=True)
    brand = models.ForeignKey(
        Brand, verbose_name=_("бренд"), null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    main_category = models.ForeignKey(
        Category, verbose_name=_("основная категория"), on_delete=models.PROTECT, related_name="main_products"
    )
    extra_categories = ParentalManyToManyField(
        Category, verbose_name=_("дополнительные категории"), blank=True, related_name="extra_products"
    )
    is_active = models.BooleanField(_("активен"), default=True)
    popularity = models.IntegerField(
        _("популярность"), default=0, help_text=_("Чем больше, тем выше в сортировке «по популярности».")
    )
    # Единица измерения (БазоваяЕдиница 1С): пусто — штука (ОКЕИ 796).
    unit_code = models.CharField(_("код единицы (ОКЕИ)"), max_length=4, blank=True, default="", db_default="")
    unit_name = models.CharField(
        _("единица"), max_length=20, blank=True, default="", db_default="", help_text=_("Например: шт, кг, м.")
    )
    unit_full_name = models.CharField(_("единица полностью"), max_length=60, blank=True, default="", db_default="")
    unit_international = models.CharField(
        _("международное сокращение единицы"), max_length=6, blank=True, default="", db_default=""
    )
    vat_rate = models.CharField(
        _("ставка НДС"), max_length=4, choices=VatRate.choices, blank=True, default="", db_default=""
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)
    external_ids = GenericRelation(ExternalId)

    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.FilterField("is_active"),
        # Поиск (commerce.search): артикулы, бренд, категории и значения атрибутов товара.
        index.FilterField("popularity"),
        index.RelatedFields("variants", [index.SearchField("sku", boost=2), index.SearchField("name")]),
        index.RelatedFields("brand", [index.SearchField("name", boost=2)]),
        index.RelatedFields("main_category", [index.SearchField("name", boost=2)]),
        index.RelatedFields("extra_categories", [index.SearchField("name")]),
        index.RelatedFields(
            "attribute_values",
            [index.SearchField("value_text"), index.RelatedFields("choice", [index.SearchField("label")])],
        ),
    ]

    class Meta:
        verbose_name = _("товар")
        verbose_name_plural = _("товары")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name", "id"], name="catalog_product_name_id"),
            models.Index(fields=["-popularity", "id"], name="catalog_product_popularity"),
            models.Index(fields=["brand", "name"], name="catalog_product_brand_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Сохранить товар с дочерними записями, затем пересчитать поля фильтров и предложения.

        ClusterableModel пишет дочерние строки (атрибуты, изображения) и ParentalManyToMany
        после основной строки, поэтому пересчёт — здесь, а не в post_save.
        """
        super().save(*args, **kwargs)
        # indexing и offers импортируют модели каталога: импорт при сохранении разрывает цикл.
        from commerce.catalog.indexing import product_index_refresh
        from commerce.catalog.offers import product_offer_refresh

        product_index_refresh(product_ids=[self.pk])
        # Предложения несут копии полей товара (название, бренд, активность) для списка.
        product_offer_refresh(product_ids=[self.pk])


class AttributeValueFields(models.Model):
    """Значение атрибута: заполняется поле, соответствующее типу атрибута."""

    attribute = models.ForeignKey(Attribute, verbose_name=_("атрибут"), on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(
        AttributeChoice,
        verbose_name=_("значение из списка"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    value_text = models.CharField(_("текст"), max_length=255, blank=True, default="")
    value_number = models.DecimalField(_("число"), max_digits=14, decimal_places=4, null=True, blank=True)
    value_boolean = models.BooleanField(_("да/нет"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self):
        """Проверить, что заполнено поле нужного типа, а значение списка принадлежит атрибуту."""
        attribute = self.attribute
        errors = {}
        if attribute.type == AttributeType.CHOICE:
            if self.choice_id is None:
                errors["choice"] = _("Выберите значение из списка.")
            elif self.choice.attribute_id != attribute.pk:
                errors["choice"] = _("Значение относится к другому атрибуту.")
        elif attribute.type == AttributeType.NUMBER and self.value_number is None:
            errors["value_number"] = _("Укажите число.")
        elif attribute.type == AttributeType.BOOLEAN and self.value_boolean is None:
            errors["value_boolean"] = _("Укажите да или нет.")
        elif attribute.type == AttributeType.TEXT and not self.value_text:
            errors["value_text"] = _("Укажите текст.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def value_check(cls, name):
        return models.CheckConstraint(
            condition=Q(choice__isnull=False)
            | Q(value_number__isnull=False)
            | Q(value_boolean__isnull=False)
            | ~Q(value_text=""),
            name=name,
        )


class ProductAttributeValue(Orderable, AttributeValueFields):
    """Значение атрибута товара (общее для всех вариантов: материал, страна)."""

    product = ParentalKey(Product, on_delete=models.CASCADE, related_name="attribute_values")

    class Meta(Orderable.Meta):
        verbose_name = _("атрибут товара")
        verbose_name_plural = _("атрибуты товара")
        constraints = [
            models.UniqueConstraint(fields=["product", "attribute"], name="catalog_productattributevalue_unique"),
            AttributeValueFields.value_check("catalog_productattributevalue_has_value"),
        ]

    def __str__(self):
        return f"{self.attribute}: {self.choice or self.value_text or self.value_number or self.value_boolean}"


class ProductImage(Orderable):
    """Изображение товара (Wagtail Image); первое по порядку — главное."""

    product = ParentalKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("изображение"), on_delete=models.CASCADE, related_name="+"
    )
    alt = models.CharField(_("альтернативный текст"), max_length=255, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("изображение товара")
        verbose_name_plural = _("изображения товара")
        indexes = [models.Index(fields=["product", "sort_order"], name="catalog_productimage_order")]


class Variant(index.Indexed, ClusterableModel):
    """Вариант товара (SKU) — то, что продаётся: размер, цвет, артикул, штрихкод.

    Цены (pricing.VariantPrice) и остатки (inventory.Stock) привязаны к варианту ParentalKey,
    поэтому редактируются прямо в его форме.
    """

    product = models.ForeignKey(Product, verbose_name=_("товар"), on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("артикул"), max_length=64, unique=True)
    barcode = models.CharField(
        _("штрихкод EAN-13"), max_length=13, null=True, blank=True, unique=True, validators=[validate_ean13]
    )
    name = models.CharField(_("название варианта"), max_length=255, blank=True, help_text=_("Например: «XL, красный»."))
    weight_grams = models.PositiveIntegerField(_("вес, г"), null=True, blank=True)
    length_mm = models.PositiveIntegerField(_("длина, мм"), null=True, blank=True)
    width_mm = models.PositiveIntegerField(_("ширина, мм"), null=True, blank=True)
    height_mm = models.PositiveIntegerField(_("высота, мм"), null=True, blank=True)
    is_active = models.BooleanField(_("активен"), default=True)
    sort_order = models.IntegerField(_("порядок"), default=0, validators=[MinValueValidator(0)])
    external_ids = GenericRelation(ExternalId)

    search_fields = [index.SearchField("sku"), index.AutocompleteField("sku"), index.SearchField("barcode")]

    class Meta:
        verbose_name = _("вариант")
        verbose_name_plural = _("варианты")
        ordering = ["product", "sort_order", "id"]
        indexes = [models.Index(fields=["product", "sort_order", "id"], name="catalog_variant_product_order")]
        constraints = [
            models.CheckConstraint(condition=~Q(sku=""), name="catalog_variant_sku_not_empty"),
            models.CheckConstraint(
                condition=Q(barcode__isnull=True) | Q(barcode__regex=r"^[0-9]{13}$"), name="catalog_variant_barcode_13"
            ),
        ]

    def __str__(self):
        return f"{self.sku} {self.name}".strip()

    def save(self, *args, **kwargs):
        """Сохранить вариант с ценами и остатками, затем пересчитать товар (фильтры, предложения)."""
        if self.barcode == "":
            self.barcode = None
        super().save(*args, **kwargs)
        # indexing и offers импортируют модели каталога: импорт при сохранении разрывает цикл.
        from commerce.catalog.indexing import product_index_refresh
        from commerce.catalog.offers import product_offer_refresh

        product_index_refresh(product_ids=[self.product_id])
        product_offer_refresh(product_ids=[self.product_id])


class VariantAttributeValue(Orderable, AttributeValueFields):
    """Значение атрибута, отличающего вариант (размер, цвет)."""

    variant = ParentalKey(Variant, on_delete=models.CASCADE, related_name="attribute_values")

    class Meta(Orderable.Meta):
        verbose_name = _("атрибут варианта")
        verbose_name_plural = _("атрибуты варианта")
        constraints = [
            models.UniqueConstraint(fields=["variant", "attribute"], name="catalog_variantattributevalue_unique"),
            AttributeValueFields.value_check("catalog_variantattributevalue_has_value"),
        ]

    def __str__(self):
        return f"{self.attribute}: {self.choice or self.value_text or self.value_number or self.value_boolean}"


class ProductOffer(models.Model):
    """Предложение товара в регионе: цена «от», старая цена, валюта, наличие — и поля списка.

    Денормализованная таблица для списка товаров: у каждого товара в каждом регионе ровно одна
    строка (без вариантов или цены — с пустой ценой, «недоступен»), а в ней — всё, что нужно
    строке списка и его сортировкам (название, slug, бренд, популярность, дата, активность).
    Список и фасеты читают одну таблицу, без соединения с catalog_product. Строки пишет только
    ``offers.product_offer_refresh`` (из Product.save, Variant.save и сигналов цен и остатков);
    правда — в catalog.Product, pricing.VariantPrice и inventory.Stock.
    """

    # Отдельных индексов на product и region нет: их заменяют уникальный (product, region) и
    # составные индексы, начинающиеся с region (меньше индексов — быстрее пересчёт предложений).
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="offers", db_index=False)
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+", db_index=False)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    old_price = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    available_quantity = models.IntegerField(default=0)
    in_stock = models.BooleanField(default=False)
    # Копии полей товара для списка (пишет product_offer_refresh).
    name = models.CharField(max_length=255, default="")
    slug = models.CharField(max_length=255, default="")
    brand = models.ForeignKey(
        Brand, null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    popularity = models.IntegerField(default=0)
    created_at = models.DateTimeField(null=True)
    is_active = models.BooleanField(default=True)
    # Плашка скидки каталога (commerce.promotions): её, цену и старую цену со скидкой пишет
    # обработчик price_hooks сразу после пересчёта из прайс-листов.
    discount_label = models.CharField(max_length=40, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("предложение товара в регионе")
        verbose_name_plural = _("предложения товаров в регионах")
        constraints = [
            models.UniqueConstraint(fields=["product", "region"], name="catalog_productoffer_unique"),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="catalog_productoffer_price_gte_0"
            ),
        ]
        indexes = [
            # Все индексы списка — частичные (WHERE is_active): витрина читает только активные
            # предложения, а число строк без фильтра (COUNT) становится просмотром только индекса.
            models.Index(
                fields=["region", "price", "product"], condition=Q(is_active=True), name="catalog_productoffer_price"
            ),
            models.Index(
                fields=["region", "in_stock", "product"], condition=Q(is_active=True), name="catalog_productoffer_stock"
            ),
            # Список без фильтра категории в порядке по умолчанию — чтение индекса до LIMIT.
            models.Index(
                fields=["region", "-popularity", "product"],
                condition=Q(is_active=True),
                name="catalog_productoffer_popular",
            ),
            # Сортировка «новинки» и фильтр бренда без категории (выбраны по EXPLAIN ANALYZE: без них
            # — просмотр всех 100 тыс. предложений региона, 70–120 мс).
            models.Index(
                fields=["region", "-created_at", "-product"],
                condition=Q(is_active=True),
                name="catalog_productoffer_new",
            ),
            models.Index(
                fields=["region", "brand", "product"], condition=Q(is_active=True), name="catalog_productoffer_brand"
            ),
        ]

    def __str__(self):
        return f"{self.product_id}@{self.region_id}: {self.price}"


class ProductCategoryIndex(models.Model):
    """Товар ↔ категория с предками (денормализация для фильтра по поддереву; пишет indexing)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+", db_index=False)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "product"], name="catalog_productcategoryindex_unique"),
        ]

    def __str__(self):
        return f"{self.product_id} ∈ {self.category_id}"


class ProductChoiceIndex(models.Model):
    """Товар ↔ значение атрибута-списка товара или его варианта (для фильтров и фасетов)."""

    choice = models.ForeignKey(AttributeChoice, on_delete=models.CASCADE, related_name="+", db_index=False)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["choice", "product"], name="catalog_productchoiceindex_unique"),
        ]
        indexes = [models.Index(fields=["product", "choice"], name="catalog_choiceindex_product")]

    def __str__(self):
        return f"{self.product_id} ∋ {self.choice_id}"


class CategoryOffer(models.Model):
    """Предложение активного товара в категории (с подкатегориями) и регионе — строка списка категории.

    Денормализация для списка категории: ProductCategoryIndex × активные ProductOffer. Страница
    категории — просмотр диапазона индекса (категория, регион, ключ сортировки) до LIMIT, а не
    соединение всей категории с предложениями региона: цена запроса не растёт с категорией.
    Здесь только столбцы фильтров и сортировок; slug, старая цена и валюта строк страницы
    берутся из ProductOffer по ключу (product, region). Строки пишет только
    ``category_offers.category_offer_sync`` (из пересчёта предложений и индексов категорий).
    """

    pk = models.CompositePrimaryKey("category", "region", "product")
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    in_stock = models.BooleanField(default=False)
    brand = models.ForeignKey(
        Brand, null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    popularity = models.IntegerField(default=0)
    created_at = models.DateTimeField(null=True)
    name = models.CharField(max_length=255, default="")

    class Meta:
        verbose_name = _("предложение товара в категории")
        verbose_name_plural = _("предложения товаров в категориях")
        indexes = [
            # Порядок «популярные» (по умолчанию), «цена» и «новинки» — чтение индекса до LIMIT.
            # «По названию» и «цена по убыванию» — сортировка top-N внутри диапазона категории.
            models.Index(fields=["category", "region", "-popularity", "product"], name="catalog_catoffer_popular"),
            models.Index(fields=["category", "region", "price", "product"], name="catalog_catoffer_price"),
            models.Index(fields=["category", "region", "-created_at", "-product"], name="catalog_catoffer_new"),
        ]

    def __str__(self):
        return f"{self.product_id} ∈ {self.category_id}@{self.region_id}"


class CategoryFacetCount(models.Model):
    """Число активных товаров категории (с подкатегориями) в регионе: всего, в наличии, по брендам и значениям.

    Поддерживаемые счётчики для списка и фасетов категории без фильтров (вид ``kind``: 0 — бренд
    ``key``, 1 — всего, 2 — в наличии, 3 — значение атрибута-списка ``key``). Пишет только
    ``category_offers`` вместе с CategoryOffer: приращениями для малых правок, пересчётом для
    массовых. Совпадение с COUNT по свежим данным проверяет tests/commerce/catalog/test_category_offers.py.
    """

    KIND_BRAND, KIND_TOTAL, KIND_IN_STOCK, KIND_CHOICE = 0, 1, 2, 3

    pk = models.CompositePrimaryKey("category", "region", "kind", "key")
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    kind = models.SmallIntegerField()
    key = models.IntegerField()
    count = models.IntegerField()

    class Meta:
        verbose_name = _("счётчик товаров категории")
        verbose_name_plural = _("счётчики товаров категорий")

    def __str__(self):
        return f"{self.category_id}@{self.region_id} {self.kind}:{self.key} = {self.count}"
