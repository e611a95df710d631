"""Фабрики блога: авторы, рубрики, картинки и страницы (страницы — через add_child дерева Wagtail)."""

import datetime

import factory
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale

from blog.models import ArticleKind, ArticlePage, BlogAuthor, BlogCategory, BlogIndexPage, SeriesPage


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda number: f"Картинка {number}")
    file = factory.LazyFunction(lambda: get_test_image_file(size=(1600, 900)))


class BlogAuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlogAuthor

    name = factory.Sequence(lambda number: f"Автор {number}")
    slug = factory.Sequence(lambda number: f"author-{number}")
    role = "Редактор блога"
    locale = factory.LazyFunction(Locale.get_default)


class BlogCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlogCategory

    name = factory.Sequence(lambda number: f"Рубрика {number}")
    slug = factory.Sequence(lambda number: f"category-{number}")
    locale = factory.LazyFunction(Locale.get_default)


class PageFactory(factory.Factory):
    """Создать страницу ребёнком parent и опубликовать её (publish=False — оставить черновиком)."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda number: f"Страница {number}")
    slug = factory.Sequence(lambda number: f"page-{number}")

    @classmethod
    def _create(cls, model_class, *args, parent, publish=True, tags=(), **kwargs):
        page = model_class(*args, **kwargs)
        # Черновик: страница не опубликована ни разу, пока редактор не нажмёт «Опубликовать».
        page.live = publish
        if tags:
            page.tags.add(*tags)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
            page.refresh_from_db()
        return page


class BlogIndexPageFactory(PageFactory):
    class Meta:
        model = BlogIndexPage

    title = "Блог"
    slug = "blog"
    intro = "Советы, обзоры и новости магазина."


class SeriesPageFactory(PageFactory):
    class Meta:
        model = SeriesPage

    title = factory.Sequence(lambda number: f"Серия {number}")
    slug = factory.Sequence(lambda number: f"series-{number}")
    intro = "Серия статей."


class ArticlePageFactory(PageFactory):
    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda number: f"Статья {number}")
    slug = factory.Sequence(lambda number: f"article-{number}")
    kind = ArticleKind.ARTICLE
    lead = "Коротко о главном."
    publish_date = factory.Sequence(lambda number: datetime.date(2025, 1, 1) + datetime.timedelta(days=number))
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Текст статьи.</p>")])


class NewsPageFactory(ArticlePageFactory):
    kind = ArticleKind.NEWS
    title = factory.Sequence(lambda number: f"Новость {number}")
    slug = factory.Sequence(lambda number: f"news-{number}")
