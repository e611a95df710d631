"""Демонстрационный ассортимент для `seed_demo`: несколько сотен товаров с картинками.

Четыре товара из ``commerce.catalog.demo`` показывают устройство каталога, но на них нельзя
попробовать фильтры, фасеты, листание страниц, поиск и подсказки. Здесь — детерминированный
генератор (``random.Random`` с постоянным зерном): одни и те же товары, цены и остатки при
каждом запуске, поэтому повторный запуск ничего не меняет, а тесты и документация могут
на них ссылаться. Сколько товаров — ``MEGASHOP_DEMO_PRODUCTS`` (по умолчанию 400; 0 — не
создавать).

Товары пишутся пачками, затем индексы, предложения и кэш пересчитываются один раз — как
после импорта; поисковый индекс строит следующий шаг демо (``commerce.search.demo``). Картинки рисует
Pillow: одна на пару «вид товара × цвет» (около сорока файлов, а не по файлу на товар).
"""

import hashlib
import io
import random
from decimal import Decimal

from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from commerce.catalog.cache import catalog_cache_invalidate
from commerce.catalog.demo import demo_regional_lists
from commerce.catalog.indexing import product_index_refresh
from commerce.catalog.models import (
    Attribute,
    AttributeChoice,
    AttributeType,
    Brand,
    Category,
    CategoryAttribute,
    Product,
    ProductAttributeValue,
    ProductImage,
    Variant,
    VariantAttributeValue,
)
from commerce.catalog.offers import product_offer_refresh
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice

SEED = 20261203
# Слаг товаров ассортимента начинается так: по нему узнаём, что ассортимент уже создан.
SLUG_PREFIX = "demo-"

# slug, название, родитель
CATEGORIES = [
    ("tablets", "Планшеты", "electronics"),
    ("headphones", "Наушники", "electronics"),
    ("smartwatches", "Умные часы", "electronics"),
    ("tvs", "Телевизоры", "electronics"),
    ("hoodies", "Толстовки", "clothes"),
    ("jeans", "Джинсы", "clothes"),
    ("sneakers", "Кроссовки", "clothes"),
    ("home", "Дом и кухня", None),
    ("kettles", "Чайники", "home"),
    ("lamps", "Светильники", "home"),
]
BRANDS = {
    "nova": "Nova",
    "orbita": "Orbita",
    "sever": "Север",
    "volna": "Volna",
    "kedr": "Кедр",
    "luch": "Луч",
    "pulsar": "Pulsar",
}
COLORS = {
    "black": ("Чёрный", (40, 40, 46)),
    "white": ("Белый", (236, 236, 232)),
    "blue": ("Синий", (52, 96, 196)),
    "red": ("Красный", (200, 56, 56)),
    "green": ("Зелёный", (58, 150, 92)),
    "grey": ("Серый", (140, 144, 150)),
}
SIZES = {"s": "S", "m": "M", "l": "L", "xl": "XL"}
# Картинки товаров-примеров: slug → (вид товара, цвет) — те же файлы, что у ассортимента.
EXAMPLE_IMAGES = {
    "phone-nova-6": ("Смартфон", "black"),
    "phone-nova-7-pro": ("Смартфон", "blue"),
    "laptop-orbita-14": ("Ноутбук", "grey"),
    "tshirt-basic": ("Футболка", "white"),
}
# вид товара: категория, название вида, бренды, модели, диапазон цены, «размерный» ли, числовой атрибут
KINDS = [
    (
        "smartphones",
        "Смартфон",
        ["nova", "pulsar", "volna"],
        ["A1", "A3", "S5", "X", "Mini", "Max", "Lite"],
        (9990, 89990),
        False,
        ("memory", [64, 128, 256, 512]),
    ),
    (
        "laptops",
        "Ноутбук",
        ["orbita", "pulsar"],
        ["13", "14 Pro", "15", "16 Air", "Book"],
        (39990, 189990),
        False,
        ("diagonal", [13, 14, 15, 16]),
    ),
    (
        "tablets",
        "Планшет",
        ["nova", "orbita"],
        ["Tab 8", "Tab 10", "Tab 11 Pro", "Pad"],
        (12990, 69990),
        False,
        ("diagonal", [8, 10, 11, 13]),
    ),
    (
        "headphones",
        "Наушники",
        ["volna", "pulsar", "nova"],
        ["Buds", "Buds Pro", "Studio", "Sport", "Air"],
        (1490, 29990),
        False,
        None,
    ),
    ("smartwatches", "Часы", ["pulsar", "nova"], ["Fit", "Run", "Watch 3", "Watch 4 Pro"], (3990, 39990), False, None),
    (
        "tvs",
        "Телевизор",
        ["orbita", "volna"],
        ["Vision", "Cinema", "Frame", "Home"],
        (19990, 149990),
        False,
        ("diagonal", [32, 43, 50, 55, 65]),
    ),
    ("t-shirts", "Футболка", ["sever", "kedr"], ["Классика", "Оверсайз", "Поло", "Лонгслив"], (690, 2990), True, None),
    ("hoodies", "Толстовка", ["sever", "kedr"], ["Базовая", "На молнии", "Тёплая", "Спорт"], (1990, 6990), True, None),
    ("jeans", "Джинсы", ["kedr", "sever"], ["Прямые", "Слим", "Свободные", "Классика"], (2490, 7990), True, None),
    ("sneakers", "Кроссовки", ["kedr", "pulsar"], ["Run", "City", "Trail", "Court"], (2990, 12990), True, None),
    ("kettles", "Чайник", ["luch", "volna"], ["Стекло", "Сталь", "Термо", "Мини"], (990, 7990), False, None),
    ("lamps", "Светильник", ["luch"], ["Настольный", "Напольный", "Ночник", "Бра"], (790, 9990), False, None),
]
NUMBER_ATTRIBUTES = {"memory": ("Память", "ГБ"), "diagonal": ("Диагональ", "дюйм")}
# Атрибуты остальных типов — «да/нет» и текст, чтобы в демо были фильтры и поля всех видов.
# Значения берутся из номера товара, а не из генератора: последовательность случайных чисел
# (а с ней имена, цены и остатки, на которые ссылаются тесты и документация) не меняется.
WATER_RESISTANT_KINDS = {"smartphones", "headphones", "smartwatches"}
MATERIALS = ["хлопок", "хлопок с эластаном", "полиэстер", "шерсть", "лён"]
DESCRIPTIONS = [
    "<p>Надёжная модель на каждый день.</p>",
    "<p>Хит продаж: лучшее сочетание цены и качества.</p>",
    "<p>Новинка сезона.</p>",
    "<p>Проверенная модель с гарантией производителя.</p>",
]


def _price(rng, low, high):
    """Случайная «магазинная» цена из диапазона: оканчивается на 90."""
    return Decimal(rng.randrange(low // 100, high // 100 + 1) * 100 - 10)


def _image(kind_title, color_code, cache):
    """Вернуть картинку вида товара в цвете (создать один раз): Pillow рисует заливку и подпись."""
    title = f"Демо: {kind_title}, {COLORS[color_code][0].lower()}"
    if title in cache:
        return cache[title]
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is None:
        rgb = COLORS[color_code][1]
        canvas = PillowImage.new("RGB", (800, 800), (248, 248, 246))
        draw = ImageDraw.Draw(canvas)
        draw.rounded_rectangle((120, 120, 680, 680), radius=80, fill=rgb)
        draw.ellipse((330, 330, 470, 470), fill=(255, 255, 255) if sum(rgb) < 500 else (30, 30, 30))
        buffer = io.BytesIO()
        canvas.save(buffer, format="PNG", optimize=True)
        existing = image_model(title=title)
        existing.file = ImageFile(buffer, name=f"demo-{hashlib.sha256(title.encode()).hexdigest()[:12]}.png")
        existing.save()
    cache[title] = existing
    return existing


def _attributes():
    color = Attribute.objects.get_or_create(code="color", defaults={"name": "Цвет", "type": AttributeType.CHOICE})[0]
    size = Attribute.objects.get_or_create(code="size", defaults={"name": "Размер", "type": AttributeType.CHOICE})[0]
    product_attributes = {
        code: Attribute.objects.get_or_create(
            code=code, defaults={"name": name, "type": AttributeType.NUMBER, "unit": unit}
        )[0]
        for code, (name, unit) in NUMBER_ATTRIBUTES.items()
    }
    colors = {
        code: AttributeChoice.objects.get_or_create(attribute=color, value=code, defaults={"label": label})[0]
        for code, (label, _rgb) in COLORS.items()
    }
    sizes = {
        code: AttributeChoice.objects.get_or_create(attribute=size, value=code, defaults={"label": label})[0]
        for code, label in SIZES.items()
    }
    product_attributes["water_resistant"] = Attribute.objects.get_or_create(
        code="water_resistant", defaults={"name": "Защита от воды", "type": AttributeType.BOOLEAN}
    )[0]
    product_attributes["material"] = Attribute.objects.get_or_create(
        code="material", defaults={"name": "Материал", "type": AttributeType.TEXT}
    )[0]
    return color, size, product_attributes, colors, sizes


def _typed_values(number, kind_code, sized, attributes):
    """Вернуть значения «да/нет» и текстовые товара номер number: [(атрибут, поле, значение)]."""
    if kind_code in WATER_RESISTANT_KINDS:
        return [(attributes["water_resistant"], "value_boolean", number % 3 != 0)]
    if sized:
        return [(attributes["material"], "value_text", MATERIALS[number % len(MATERIALS)])]
    return []


def _categories():
    found = {category.slug: category for category in Category.objects.all()}
    for slug, name, parent in CATEGORIES:
        if slug in found:
            continue
        found[slug] = (
            Category.add_root(name=name, slug=slug) if parent is None else found[parent].add_child(name=name, slug=slug)
        )
    return found


def seed_assortment(*, stdout):
    """Создать ассортимент демо-магазина (идемпотентно: если он уже есть, ничего не делать)."""
    total = settings.MEGASHOP_DEMO_PRODUCTS
    if total <= 0 or Product.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 — демо-данные, не криптография
    categories = _categories()
    brands = {slug: Brand.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in BRANDS.items()}
    color, size, product_attributes, colors, sizes = _attributes()
    for kind in KINDS:
        category = categories[kind[0]]
        CategoryAttribute.objects.get_or_create(category=category, attribute=size if kind[5] else color)
        if kind[6]:
            CategoryAttribute.objects.get_or_create(category=category, attribute=product_attributes[kind[6][0]])
        for attribute, _field, _value in _typed_values(0, kind[0], kind[5], product_attributes):
            CategoryAttribute.objects.get_or_create(category=category, attribute=attribute)
    base_list, regional = demo_regional_lists()
    images = {}
    products, product_values, product_images, variant_rows = [], [], [], []
    for number in range(total):
        kind_code, kind_title, kind_brands, models, (low, high), sized, number_attribute = KINDS[number % len(KINDS)]
        brand = rng.choice(kind_brands)
        # Серия («K42») различает товары одной модели: имена в списке не повторяются.
        series = f"{rng.choice('ABCEKMPTX')}{rng.randrange(10, 100)}"
        name = f"{kind_title} {BRANDS[brand]} {rng.choice(models)} {series}"
        product = Product(
            slug=f"{SLUG_PREFIX}{kind_code}-{number + 1:04d}",
            name=name,
            main_category=categories[kind_code],
            brand=brands[brand],
            description=rng.choice(DESCRIPTIONS),
            popularity=rng.randrange(0, 1000),
        )
        products.append(product)
        if number_attribute:
            value = Decimal(rng.choice(number_attribute[1]))
            product_values.append((product, product_attributes[number_attribute[0]], "value_number", value))
        product_values += [(product, *typed) for typed in _typed_values(number, kind_code, sized, product_attributes)]
        main_color = rng.choice(list(COLORS))
        product_images.append((product, _image(kind_title, main_color, images), name))
        price = _price(rng, low, high)
        old_price = (price * Decimal("1.15")).quantize(Decimal("1")) if rng.random() < 0.2 else None
        if sized:
            options = [sizes[code] for code in list(SIZES)[: rng.randrange(2, 5)]]
        else:
            codes = dict.fromkeys([main_color, *rng.sample(list(COLORS), 2)])
            options = [colors[code] for code in list(codes)[: rng.randrange(1, 4)]]
        for index, choice in enumerate(options):
            # Примерно каждый шестой вариант в регионе закончился — фильтр «в наличии» виден.
            quantities = {code: 0 if rng.random() < 0.17 else rng.randrange(1, 40) for code in regional}
            variant = Variant(
                product=product,
                sku=f"D{number + 1:04d}-{choice.value.upper()}",
                name=choice.label,
                sort_order=index,
                weight_grams=rng.randrange(100, 5000),
            )
            variant_rows.append((variant, choice, price, old_price, quantities))
    product_images += _example_images(images)
    _write(base_list, regional, products, product_values, product_images, variant_rows)
    stdout.write(f"Ассортимент: товаров {total}, картинок {len(images)}.")


def _example_images(images):
    """Вернуть картинки четырёх товаров-примеров (commerce.catalog.demo), у которых их ещё нет."""
    examples = Product.objects.filter(slug__in=EXAMPLE_IMAGES, images__isnull=True)
    return [(product, _image(*EXAMPLE_IMAGES[product.slug], images), product.name) for product in examples]


def _write(base_list, regional, products, product_values, product_images, variant_rows):
    """Записать ассортимент пачками и один раз пересчитать индексы, предложения и кэш каталога.

    Пачки (bulk_create) обходят save() и сигналы: на SQLite поштучная запись с сигналами
    занимала минуты. Поэтому пересчёт делается здесь явно, теми же функциями, что после
    импорта; поиск переиндексирует свой шаг демо (commerce.search.demo).
    """
    Product.objects.bulk_create(products, batch_size=500)
    ProductAttributeValue.objects.bulk_create(
        [ProductAttributeValue(product=p, attribute=a, **{field: v}) for p, a, field, v in product_values],
        batch_size=500,
    )
    ProductImage.objects.bulk_create(
        [ProductImage(product=p, image=image, alt=alt, sort_order=0) for p, image, alt in product_images],
        batch_size=500,
    )
    Variant.objects.bulk_create([row[0] for row in variant_rows], batch_size=500)
    values, prices, stocks = [], [], []
    for variant, choice, price, old_price, quantities in variant_rows:
        values.append(VariantAttributeValue(variant=variant, attribute=choice.attribute, choice=choice))
        prices.append(VariantPrice(variant=variant, price_list=base_list, price=price, old_price=old_price))
        for code, (price_list, warehouse) in regional.items():
            if code == "spb":
                spb_price = (price * Decimal("0.95")).quantize(Decimal("1"))
                prices.append(VariantPrice(variant=variant, price_list=price_list, price=spb_price))
            stocks.append(Stock(variant=variant, warehouse=warehouse, quantity=quantities[code]))
    VariantAttributeValue.objects.bulk_create(values, batch_size=500)
    VariantPrice.objects.bulk_create(prices, batch_size=500)
    Stock.objects.bulk_create(stocks, batch_size=500)
    product_ids = list({product.pk for product in products} | {product.pk for product, _image, _alt in product_images})
    product_index_refresh(product_ids=product_ids)
    product_offer_refresh(product_ids=product_ids)
    catalog_cache_invalidate(structure=True)
