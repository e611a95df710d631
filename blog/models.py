"""Страницы блога: индекс блога, серия, статья (или новость); справочники автора и рубрики.

Дерево страниц::

    RegionHomePage (регион или регион по умолчанию — общий контент)
      └── BlogIndexPage            /blog/  (+ /blog/rss/, /blog/atom/)
            ├── ArticlePage        статья или новость (kind)
            └── SeriesPage         серия статей
                  └── ArticlePage  части серии — в порядке дерева Wagtail

Серия — страница-родитель её частей: порядок частей задаёт редактор перетаскиванием
в админке («Сортировать»), перевод через wagtail-localize переносит серию вместе с частями,
а «предыдущая/следующая» — соседние опубликованные страницы (см. selectors.series_navigation).
Новость — статья с kind="news": один тип страницы даёт общий список, фильтры, теги и ленту,
а витрина различает их по полю kind (решение записано в docs/backend/decisions.md).
"""

import math
import re

from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail_headless_preview.models import HeadlessPreviewMixin
from wagtail_localize.fields import SynchronizedField

from blog import api_fields
from blog.blocks import ArticleBodyBlock

# Средняя скорость чтения русского текста с экрана, слов в минуту.
READING_WORDS_PER_MINUTE = 180
WORD_PATTERN = re.compile(r"\w+", re.UNICODE)


class BlogAuthor(TranslatableMixin, index.Indexed, models.Model):
    """Автор статей: имя, должность, фото и короткая справка — переводятся вместе со статьями."""

    name = models.CharField(_("имя"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, allow_unicode=False)
    role = models.CharField(_("должность"), max_length=150, blank=True, help_text=_("Например: «Редактор блога»."))
    bio = models.TextField(_("о себе"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("фото"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("role"), FieldPanel("bio"), FieldPanel("photo")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    override_translatable_fields = [SynchronizedField("slug"), SynchronizedField("photo")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("автор")
        verbose_name_plural = _("авторы")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="blog_author_slug_locale"),
        ]

    def __str__(self):
        return self.name


class BlogCategory(TranslatableMixin, index.Indexed, models.Model):
    """Рубрика блога: «Обзоры», «Советы», «Новости магазина» — по одной на статью."""

    name = models.CharField(_("название"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, help_text=_("Латиницей: для адресов и фильтра ?category_slug=."))
    description = models.TextField(_("описание"), blank=True)
    sort_order = models.PositiveIntegerField(_("порядок"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    override_translatable_fields = [SynchronizedField("slug"), SynchronizedField("sort_order")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("рубрика блога")
        verbose_name_plural = _("рубрики блога")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="blog_category_slug_locale"),
        ]

    def __str__(self):
        return self.name


class BlogPageBase(HeadlessPreviewMixin, Page):
    """Общее у страниц блога: картинка Open Graph, SEO-блок в API, предпросмотр на витрине.

    Заголовок и описание SEO — стандартные поля Wagtail (вкладка «Продвижение»), здесь добавлена
    только картинка для соцсетей. Черновики, ревизии, отложенная публикация и согласование —
    штатные механизмы Wagtail, ничего своего.
    """

    og_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("картинка для соцсетей"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Open Graph, 1200×630. Пусто — берётся обложка."),
    )

    promote_panels = [*Page.promote_panels, FieldPanel("og_image")]
    override_translatable_fields = [SynchronizedField("og_image")]

    class Meta:
        abstract = True

    @property
    def seo_description_fallback(self):
        """Текст для description, если редактор не заполнил «Описание для поисковиков»."""
        return ""

    @property
    def seo_image(self):
        """Картинка для соцсетей: своя, а без неё — обложка страницы."""
        return self.og_image or getattr(self, "cover_image", None)


class BlogIndexPage(RoutablePageMixin, BlogPageBase):
    """Главная страница блога региона (или общего блога — под домашней страницей региона по умолчанию)."""

    intro = models.TextField(_("вступление"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["regions.RegionHomePage"]
    subpage_types = ["blog.ArticlePage", "blog.SeriesPage"]
    max_count_per_parent = 1

    api_fields = [
        APIField("intro"),
        APIField("seo", serializer=api_fields.SeoField(source="*")),
        APIField("feeds", serializer=api_fields.FeedLinksField(source="*")),
        APIField("news_archive", serializer=api_fields.NewsArchiveField(source="*")),
    ]

    class Meta:
        verbose_name = _("блог")
        verbose_name_plural = _("блоги")

    @property
    def seo_description_fallback(self):
        return self.intro

    @path("")
    def index_route(self, request):
        """Отдать страницу блога как обычно: HTML рисует витрина по данным API."""
        return Page.serve(self, request)

    @path("rss/")
    def rss_feed(self, request):
        """Отдать ленту RSS 2.0 блога."""
        # feeds → selectors → models: импорт при запросе ленты разрывает цикл.
        from blog.feeds import BlogRssFeed

        return BlogRssFeed()(request, index=self)

    @path("atom/")
    def atom_feed(self, request):
        """Отдать ленту Atom 1.0 блога."""
        # feeds → selectors → models: импорт при запросе ленты разрывает цикл.
        from blog.feeds import BlogAtomFeed

        return BlogAtomFeed()(request, index=self)


class SeriesPage(BlogPageBase):
    """Серия статей («Как выбрать ноутбук, часть 1…5»): части — дочерние страницы в заданном порядке."""

    intro = models.TextField(_("о серии"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("обложка"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("cover_image")]
    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = ["blog.ArticlePage"]
    override_translatable_fields = [*BlogPageBase.override_translatable_fields, SynchronizedField("cover_image")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    api_fields = [
        APIField("intro"),
        APIField("cover_image", serializer=api_fields.CoverImageField()),
        APIField("articles", serializer=api_fields.SeriesArticlesField(source="*")),
        APIField("seo", serializer=api_fields.SeoField(source="*")),
    ]

    class Meta:
        verbose_name = _("серия статей")
        verbose_name_plural = _("серии статей")

    @property
    def seo_description_fallback(self):
        return self.intro


class ArticlePageTag(TaggedItemBase):
    """Связь статьи с тегом (django-taggit через modelcluster: теги сохраняются с ревизией)."""

    content_object = ParentalKey("blog.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticleKind(models.TextChoices):
    ARTICLE = "article", _("Статья")
    NEWS = "news", _("Новость")


def reading_minutes(body):
    """Оценить время чтения тела статьи в минутах (не меньше одной).

    Считаются слова абзацев, заголовков, цитат, подписей и призывов; код и встраивания —
    нет: их не читают подряд.
    """
    texts = []
    for block in body or []:
        value = block.value
        if block.block_type == "paragraph":
            texts.append(strip_tags(value.source))
        elif block.block_type == "heading" or block.block_type == "quote":
            texts.append(value["text"])
        elif block.block_type == "image":
            texts.append(value["caption"])
        elif block.block_type == "call_to_action":
            texts.extend([value["title"], value["text"]])
    words = sum(len(WORD_PATTERN.findall(text or "")) for text in texts)
    return max(1, math.ceil(words / READING_WORDS_PER_MINUTE))


class ArticlePage(BlogPageBase):
    """Статья или новость блога.

    Время чтения считается при каждом сохранении (и для предпросмотра), поэтому в списках
    оно — обычное поле без разбора тела статьи.
    """

    kind = models.CharField(_("вид"), max_length=16, choices=ArticleKind.choices, default=ArticleKind.ARTICLE)
    lead = models.TextField(_("лид"), max_length=600, blank=True, help_text=_("Одно-два предложения для карточки."))
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("обложка"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("текст"), blank=True)
    author = models.ForeignKey(
        BlogAuthor, verbose_name=_("автор"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.ForeignKey(
        BlogCategory, verbose_name=_("рубрика"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = ClusterTaggableManager(verbose_name=_("теги"), through=ArticlePageTag, blank=True)
    publish_date = models.DateField(
        _("дата публикации"),
        default=timezone.localdate,
        db_index=True,
        help_text=_("Показывается читателю и задаёт порядок в списках. Время выхода задаёт «Запланировать»."),
    )
    reading_time = models.PositiveSmallIntegerField(_("время чтения, мин"), default=1, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("publish_date")]),
        FieldPanel("lead"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("author"), FieldPanel("category"), FieldPanel("tags")],
            heading=_("Автор, рубрика и теги"),
        ),
    ]
    parent_page_types = ["blog.BlogIndexPage", "blog.SeriesPage"]
    subpage_types = []
    override_translatable_fields = [
        *BlogPageBase.override_translatable_fields,
        SynchronizedField("kind"),
        SynchronizedField("publish_date"),
        SynchronizedField("cover_image"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("publish_date"),
    ]

    api_fields = [
        APIField("kind"),
        APIField("lead"),
        APIField("publish_date"),
        APIField("reading_time"),
        APIField("cover_image", serializer=api_fields.CoverImageField()),
        APIField("author", serializer=api_fields.AuthorField()),
        APIField("category", serializer=api_fields.CategoryField()),
        APIField("tags", serializer=api_fields.TagsField(source="*")),
        APIField("series", serializer=api_fields.SeriesField(source="*")),
        APIField("body"),
        APIField("seo", serializer=api_fields.SeoField(source="*")),
    ]

    class Meta:
        verbose_name = _("статья или новость")
        verbose_name_plural = _("статьи и новости")

    @property
    def seo_description_fallback(self):
        return self.lead

    def full_clean(self, *args, **kwargs):
        # Предпросмотр показывает несохранённую страницу: время чтения нужно и ей.
        self.reading_time = reading_minutes(self.body)
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self.reading_time = reading_minutes(self.body)
        return super().save(*args, **kwargs)
