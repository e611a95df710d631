"""Перевод блога через wagtail-localize: английская версия статьи в API по ?locale=en."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import Translation
from wagtail_localize.operations import TranslationCreator

from blog.models import ArticlePage, BlogAuthor, BlogCategory
from regions.services import region_tree_build
from tests.factories.accounts import UserFactory
from tests.factories.blog import ArticlePageFactory, BlogAuthorFactory, BlogCategoryFactory, SeriesPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(regions):
    """Английская локаль и переводы корня и домашних страниц регионов."""
    locale = Locale.objects.get_or_create(language_code="en")[0]
    region_tree_build(mode="subfolder", base_domain="testserver")
    return locale


@pytest.fixture
def translate(django_capture_on_commit_callbacks):
    """Отправить объекты на перевод (с авторами и рубриками) и опубликовать переводы, как это делает админка."""

    def translate(objects, locale):
        creator = TranslationCreator(UserFactory(), [locale])
        for instance in objects:
            creator.create_translations(instance)
        # wagtail-localize публикует перевод после фиксации транзакции.
        with django_capture_on_commit_callbacks(execute=True):
            for translation in Translation.objects.filter(target_locale=locale).order_by("pk"):
                translation.save_target(publish=True)

    return translate


def test_english_listing_serves_the_translated_article_with_translated_author_and_category(
    api_client, english, shared_blog, translate
):
    # given: русская статья с автором и рубрикой, отправленная на перевод
    article = ArticlePageFactory(
        parent=shared_blog,
        title="Как выбрать ноутбук",
        author=BlogAuthorFactory(name="Анна Смирнова"),
        category=BlogCategoryFactory(name="Обзоры", slug="reviews"),
        tags=["laptops"],
    )
    translate([shared_blog, article], english)
    english_article = ArticlePage.objects.get(translation_key=article.translation_key, locale=english)
    english_author = BlogAuthor.objects.get(translation_key=article.author.translation_key, locale=english)
    english_category = BlogCategory.objects.get(translation_key=article.category.translation_key, locale=english)
    # переводчик перевёл тексты
    english_author.name = "Anna Smirnova"
    english_author.save()
    english_category.name = "Reviews"
    english_category.save()
    english_article.title = "How to choose a laptop"
    english_article.save_revision().publish()
    # when
    params = {"type": "blog.ArticlePage", "fields": "author,category,tags", "region": "msk"}
    in_english = api_client.get("/api/v2/pages/", {**params, "locale": "en"}).json()["items"]
    in_russian = api_client.get("/api/v2/pages/", {**params, "locale": "ru"}).json()["items"]
    # then
    assert [(item["title"], item["meta"]["locale"]) for item in in_english] == [("How to choose a laptop", "en")]
    assert in_english[0]["author"]["name"] == "Anna Smirnova"
    assert in_english[0]["category"] == {"id": english_category.pk, "name": "Reviews", "slug": "reviews"}
    # slug рубрики и теги общие для языков: фильтры витрины не зависят от языка
    assert in_english[0]["tags"] == [{"name": "laptops", "slug": "laptops"}]
    assert [item["title"] for item in in_russian] == ["Как выбрать ноутбук"]


def test_translated_series_keeps_the_order_of_its_parts(api_client, english, shared_blog, translate):
    series = SeriesPageFactory(parent=shared_blog)
    parts = [ArticlePageFactory(parent=series, title=f"Часть {number}") for number in (1, 2, 3)]
    translate([shared_blog, series, *parts], english)
    english_second = ArticlePage.objects.get(translation_key=parts[1].translation_key, locale=english)
    response = api_client.get(f"/api/v2/pages/{english_second.pk}/")
    assert response.status_code == 200, response.content
    navigation = response.json()["series"]
    assert (navigation["position"], navigation["total"]) == (2, 3)
    assert navigation["previous"]["id"] == parts[0].get_translation(english).pk
    assert navigation["next"]["id"] == parts[2].get_translation(english).pk
