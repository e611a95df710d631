"""Демонстрационный блог для `manage.py seed_demo`: общий блог, блог Казани, серия и новости.

Идёт после наполнения регионов и каталога: блоги ложатся под домашние страницы регионов,
а в статью серии вставляется карточка первого активного товара каталога, если он есть.
Повторный запуск ничего не дублирует: всё ищется по slug.
"""

import datetime
import io

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Locale

from blog.models import ArticleKind, ArticlePage, BlogAuthor, BlogCategory, BlogIndexPage, SeriesPage
from blog.products import catalog_is_installed
from regions import selectors as region_selectors

DEMO_COVER_TITLE = "Обложка демо-блога"

SERIES_PARTS = [
    (
        "kak-vybrat-noutbuk-chast-1",
        "Как выбрать ноутбук, часть 1: задачи",
        "Сначала решите, для чего ноутбук: учёба, работа, игры или всё сразу.",
    ),
    (
        "kak-vybrat-noutbuk-chast-2",
        "Как выбрать ноутбук, часть 2: процессор и память",
        "Сколько ядер и гигабайт нужно на самом деле.",
    ),
    (
        "kak-vybrat-noutbuk-chast-3",
        "Как выбрать ноутбук, часть 3: экран и батарея",
        "Матрица, яркость, частота и сколько часов без розетки.",
    ),
]

SHARED_NEWS = [
    ("novaya-kollekciya-noutbukov", "Новая коллекция ноутбуков", "В каталоге — модели 2025 года."),
    ("dostavka-v-den-zakaza", "Доставка в день заказа", "Заказы до 14:00 привозим сегодня же."),
]

KAZAN_NEWS = [
    ("otkrytie-magazina-v-kazani", "Открыли магазин на Баумана", "Ждём в гости: ул. Баумана, 1."),
    ("samovyvoz-v-kazani", "Самовывоз в Казани за час", "Заказ готов к выдаче через час после оформления."),
]


def seed_blog(*, stdout):
    """Создать авторов, рубрики, общий блог с серией и новостями и блог Казани с новостями."""
    locale = Locale.get_default()
    default_home = region_selectors.region_default_home_page(locale=locale)
    if default_home is None:
        stdout.write("Блог не создан: нет домашней страницы региона по умолчанию (сначала seed_regions).")
        return
    cover = _demo_cover()
    author, _ = BlogAuthor.objects.get_or_create(
        slug="redakciya",
        locale=locale,
        defaults={"name": "Редакция Megashop", "role": "Редактор блога", "bio": "Пишем о технике простыми словами."},
    )
    reviews = _category(locale, "obzory", "Обзоры", 10)
    news_category = _category(locale, "novosti", "Новости магазина", 20)

    shared_blog = _child(
        default_home, BlogIndexPage, "blog", title="Блог", intro="Советы, обзоры и новости магазина.", stdout=stdout
    )
    series = _child(
        shared_blog,
        SeriesPage,
        "kak-vybrat-noutbuk",
        title="Как выбрать ноутбук",
        intro="Три коротких статьи — и вы знаете, что спросить у продавца.",
        cover_image=cover,
        stdout=stdout,
    )
    product = _demo_product()
    start = datetime.date(2025, 3, 3)
    for number, (slug, title, lead) in enumerate(SERIES_PARTS):
        body = [
            ("heading", {"text": title.split(": ")[-1].capitalize(), "level": "h2", "anchor": ""}),
            ("paragraph", f"<p>{lead} Разбираем по шагам, без лишних терминов.</p>"),
            ("quote", {"text": "Лучший ноутбук — тот, которым удобно пользоваться каждый день.", "author": ""}),
        ]
        if number == 0 and product is not None:
            body.append(("product", {"product": product, "note": "Наш выбор для учёбы"}))
        body.append(
            (
                "call_to_action",
                {
                    "title": "Нужна помощь с выбором?",
                    "text": "Консультанты ответят в чате.",
                    "button_text": "Спросить",
                    "link": {"page": None, "url": "https://example.ru/help"},
                },
            )
        )
        _child(
            series,
            ArticlePage,
            slug,
            title=title,
            lead=lead,
            kind=ArticleKind.ARTICLE,
            publish_date=start + datetime.timedelta(days=7 * number),
            cover_image=cover,
            author=author,
            category=reviews,
            body=body,
            tags=["ноутбуки", "как выбрать"],
            stdout=stdout,
        )
    _news(shared_blog, SHARED_NEWS, author, news_category, stdout)

    kazan = next((region for region in region_selectors.region_list_active() if region.code == "kzn"), None)
    kazan_home = kazan and region_selectors.region_home_page(region=kazan, locale=locale)
    if kazan_home is not None and kazan_home.pk != default_home.pk:
        kazan_blog = _child(
            kazan_home, BlogIndexPage, "blog", title="Блог Казани", intro="Новости магазинов в Казани.", stdout=stdout
        )
        _news(kazan_blog, KAZAN_NEWS, author, news_category, stdout)


def _category(locale, slug, name, sort_order):
    category, _ = BlogCategory.objects.get_or_create(
        slug=slug, locale=locale, defaults={"name": name, "sort_order": sort_order}
    )
    return category


def _news(parent, items, author, category, stdout):
    today = timezone.localdate()
    for number, (slug, title, lead) in enumerate(items):
        _child(
            parent,
            ArticlePage,
            slug,
            title=title,
            lead=lead,
            kind=ArticleKind.NEWS,
            publish_date=today - datetime.timedelta(days=10 * number),
            author=author,
            category=category,
            body=[("paragraph", f"<p>{lead}</p>")],
            tags=["новости"],
            stdout=stdout,
        )


def _child(parent, model, slug, *, stdout, tags=(), **fields):
    """Вернуть опубликованную страницу model со slug под parent, создав её при необходимости."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = model(slug=slug, **fields)
    if tags:
        page.tags.add(*tags)
    parent.add_child(instance=page)
    page.save_revision().publish()
    stdout.write(f"Страница блога «{page.title}» создана.")
    return page


def _demo_product():
    """Вернуть первый активный товар каталога или None (каталог пуст или не подключён)."""
    if not catalog_is_installed():
        return None
    # Каталог может быть не подключён: импорт только после проверки catalog_is_installed().
    from commerce.catalog.selectors import product_first_active

    return product_first_active()


def _demo_cover():
    """Вернуть картинку-обложку демо-блога, нарисовав её однажды (Pillow, без файлов в репозитории)."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=DEMO_COVER_TITLE).first()
    if existing is not None:
        return existing
    buffer = io.BytesIO()
    PillowImage.new("RGB", (1600, 900), (38, 84, 124)).save(buffer, format="JPEG", quality=85)
    return image_model.objects.create(title=DEMO_COVER_TITLE, file=ImageFile(buffer, name="blog-demo-cover.jpg"))
