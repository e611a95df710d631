"""Страница статьи в /api/v2/pages/<id>/: JSON блоков тела, серии, SEO; поля блога и серии."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commerce.catalog.models import ProductImage
from tests.factories.blog import ArticlePageFactory, ImageFactory, NewsPageFactory, SeriesPageFactory
from tests.factories.catalog import PriceListFactory, ProductFactory, VariantFactory, VariantPriceFactory

pytestmark = pytest.mark.django_db


def _detail(api_client, page, **params):
    response = api_client.get(f"/api/v2/pages/{page.pk}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def _base_price_list():
    """Базовый прайс-лист (без региона) — он один на магазин."""
    from commerce.pricing.models import PriceList

    return PriceList.objects.filter(region=None).first() or PriceListFactory(region=None)


def _blocks(data):
    return {block["type"]: block["value"] for block in data["body"]}


def test_every_body_block_is_serialised_as_clean_json(api_client, shared_blog):
    # given: статья со всеми видами блоков, кроме товара (у него свой тест)
    image = ImageFactory(title="Ноутбук на столе")
    about = ArticlePageFactory(parent=shared_blog, title="О доставке", slug="o-dostavke")
    article = ArticlePageFactory(
        parent=shared_blog,
        body=[
            ("heading", {"text": "Выбор процессора", "level": "h3", "anchor": ""}),
            ("paragraph", f'<p>Читайте <a linktype="page" id="{about.pk}">о доставке</a>.</p>'),
            ("image", {"image": image, "caption": "Рабочее место", "attribution": "Фото: редакция"}),
            ("quote", {"text": "Лучший ноутбук — тот, что у вас с собой.", "author": "Покупатель"}),
            ("embed", {"embed": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "caption": "Видеообзор"}),
            ("code", {"language": "bash", "code": "lscpu | head"}),
            (
                "call_to_action",
                {
                    "title": "Подберём за вас",
                    "text": "Оставьте заявку.",
                    "button_text": "Подобрать",
                    "link": {"page": about, "url": ""},
                },
            ),
        ],
    )
    # when
    blocks = _blocks(_detail(api_client, article))
    # then
    assert blocks["heading"] == {"text": "Выбор процессора", "level": 3, "anchor": "выбор-процессора"}
    assert blocks["paragraph"]["format"] == "html"
    assert 'href="/msk/blog/o-dostavke/"' in blocks["paragraph"]["content"]
    assert "linktype" not in blocks["paragraph"]["content"]
    assert blocks["image"]["caption"] == "Рабочее место"
    assert blocks["image"]["attribution"] == "Фото: редакция"
    assert blocks["image"]["image"]["alt"] == "Ноутбук на столе"
    renditions = blocks["image"]["image"]["renditions"]
    assert set(renditions) == {"small", "medium", "large"}
    assert renditions["small"]["width"] == 480
    assert renditions["small"]["url"].startswith("http")
    assert blocks["quote"] == {"text": "Лучший ноутбук — тот, что у вас с собой.", "author": "Покупатель"}
    assert blocks["embed"] == {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "caption": "Видеообзор"}
    assert blocks["code"] == {"language": "bash", "code": "lscpu | head"}
    assert blocks["call_to_action"] == {
        "title": "Подберём за вас",
        "text": "Оставьте заявку.",
        "button": {"text": "Подобрать", "url": "/msk/blog/o-dostavke/", "page_id": about.pk},
    }


def test_rich_text_format_parameter_still_selects_wagtail_formats(api_client, shared_blog):
    article = ArticlePageFactory(parent=shared_blog, body=[("paragraph", "<p><b>Жирный</b> текст</p>")])
    paragraph = _blocks(_detail(api_client, article, rich_text_format="markdown"))["paragraph"]
    assert paragraph["format"] == "markdown"
    assert paragraph["content"].strip() == "**Жирный** текст"


def test_product_card_carries_the_current_price_of_the_request_region(api_client, regions, shared_blog):
    # given: товар с базовой ценой и своей ценой в Казани, с картинкой
    product = ProductFactory(name="Ноутбук Aero 14", slug="aero-14")
    variant = VariantFactory(product=product)
    ProductImage.objects.create(product=product, image=ImageFactory(), sort_order=0)
    VariantPriceFactory(variant=variant, price_list=_base_price_list(), price=Decimal("89990.00"))
    VariantPriceFactory(
        variant=variant,
        price_list=PriceListFactory(region=regions["kzn"], currency="RUB"),
        price=Decimal("84990.00"),
        old_price=Decimal("92990.00"),
    )
    hidden = ProductFactory(name="Снят с продажи", is_active=False)
    article = ArticlePageFactory(
        parent=shared_blog,
        body=[
            ("product", {"product": product, "note": "Наш выбор"}),
            ("product", {"product": hidden, "note": ""}),
        ],
    )
    # when
    moscow = _detail(api_client, article, region="msk")["body"]
    kazan = _detail(api_client, article, region="kzn")["body"]
    # then: в Москве — базовая цена, в Казани — своя, со старой ценой
    card = moscow[0]["value"]
    assert card["note"] == "Наш выбор"
    assert card["product"]["name"] == "Ноутбук Aero 14"
    assert card["product"]["slug"] == "aero-14"
    assert card["product"]["price"] == "89990.00"
    assert card["product"]["currency"] == "RUB"
    assert set(card["product"]["image"]["renditions"]) == set(settings.CATALOG_LIST_IMAGE_RENDITIONS)
    kazan_card = kazan[0]["value"]["product"]
    assert (kazan_card["price"], kazan_card["old_price"], kazan_card["currency"], kazan_card["is_available"]) == (
        "84990.00",
        "92990.00",
        "RUB",
        False,
    )
    # снятый с продажи товар — пустая карточка, а не ошибка
    assert moscow[1]["value"]["product"] is None


def test_product_card_in_an_article_is_the_catalog_list_card(api_client, regions, shared_blog):
    # given: товар с картинкой и ценой, в статье и в списке каталога
    product = ProductFactory(name="Смартфон Nova", slug="nova")
    ProductImage.objects.create(product=product, image=ImageFactory(), sort_order=0)
    VariantPriceFactory(variant=VariantFactory(product=product), price_list=_base_price_list(), price=Decimal("19990"))
    article = ArticlePageFactory(parent=shared_blog, body=[("product", {"product": product, "note": ""})])

    # when
    card = _detail(api_client, article, region="msk")["body"][0]["value"]["product"]
    listing = api_client.get("/api/v1/catalog/products/", {"region": "msk"}).json()["results"]

    # then: одна форма карточки — та же, что у строки списка
    assert card == next(item for item in listing if item["id"] == product.pk)


def test_product_cards_cost_constant_queries_whatever_their_number(api_client, regions, shared_blog):
    products = [ProductFactory() for _ in range(6)]
    for product in products:
        VariantPriceFactory(variant=VariantFactory(product=product), price_list=_base_price_list())
    one = ArticlePageFactory(parent=shared_blog, body=[("product", {"product": products[0], "note": ""})])
    six = ArticlePageFactory(
        parent=shared_blog, body=[("product", {"product": product, "note": ""}) for product in products]
    )
    _detail(api_client, one)
    _detail(api_client, six)
    with CaptureQueriesContext(connection) as with_one:
        _detail(api_client, one)
    with CaptureQueriesContext(connection) as with_six:
        _detail(api_client, six)
    assert len(with_six.captured_queries) == len(with_one.captured_queries)


def test_series_part_knows_its_position_and_neighbours(api_client, shared_blog):
    # given: серия из трёх частей, третья — черновик
    series = SeriesPageFactory(parent=shared_blog, title="Как выбрать ноутбук")
    first = ArticlePageFactory(parent=series, title="Часть 1")
    second = ArticlePageFactory(parent=series, title="Часть 2")
    third = ArticlePageFactory(parent=series, title="Часть 3")
    ArticlePageFactory(parent=series, title="Часть 4 (черновик)", publish=False)
    # when
    middle = _detail(api_client, second)["series"]
    # then
    assert middle["id"] == series.pk
    assert middle["title"] == "Как выбрать ноутбук"
    assert (middle["position"], middle["total"]) == (2, 3)
    assert middle["previous"]["id"] == first.pk
    assert middle["next"] == {"id": third.pk, "title": "Часть 3", "slug": third.slug, "url": third.url}
    assert _detail(api_client, first)["series"]["previous"] is None
    assert _detail(api_client, third)["series"]["next"] is None


def test_series_page_lists_its_published_parts_in_order(api_client, shared_blog):
    series = SeriesPageFactory(parent=shared_blog)
    parts = [ArticlePageFactory(parent=series, title=f"Часть {number}") for number in (1, 2)]
    ArticlePageFactory(parent=series, publish=False)
    data = _detail(api_client, series)
    assert [(part["id"], part["position"]) for part in data["articles"]] == [(parts[0].pk, 1), (parts[1].pk, 2)]


def test_seo_block_falls_back_to_title_lead_and_cover(api_client, shared_blog):
    cover = ImageFactory()
    plain = ArticlePageFactory(parent=shared_blog, title="Статья", lead="Лид статьи", cover_image=cover)
    tuned = ArticlePageFactory(
        parent=shared_blog,
        seo_title="Заголовок для поиска",
        search_description="Описание для поиска",
        og_image=ImageFactory(),
    )
    plain_seo = _detail(api_client, plain)["seo"]
    assert plain_seo["title"] == "Статья"
    assert plain_seo["description"] == "Лид статьи"
    assert (plain_seo["og_image"]["width"], plain_seo["og_image"]["height"]) == (1200, 630)
    assert plain_seo["canonical_url"].endswith("/msk/blog/" + plain.slug + "/")
    tuned_seo = _detail(api_client, tuned)["seo"]
    assert (tuned_seo["title"], tuned_seo["description"]) == ("Заголовок для поиска", "Описание для поиска")


def test_blog_index_exposes_feeds_and_a_monthly_news_archive(api_client, shared_blog):
    NewsPageFactory(parent=shared_blog, publish_date=datetime.date(2025, 4, 2))
    NewsPageFactory(parent=shared_blog, publish_date=datetime.date(2025, 4, 20))
    NewsPageFactory(parent=shared_blog, publish_date=datetime.date(2025, 5, 1))
    ArticlePageFactory(parent=shared_blog, publish_date=datetime.date(2025, 4, 3))
    data = _detail(api_client, shared_blog)
    assert data["feeds"]["rss"].endswith("/msk/blog/rss/")
    assert data["feeds"]["atom"].endswith("/msk/blog/atom/")
    assert data["news_archive"] == [
        {"year": 2025, "month": 5, "count": 1},
        {"year": 2025, "month": 4, "count": 2},
    ]
