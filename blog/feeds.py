"""Ленты RSS 2.0 и Atom 1.0 блога (django.contrib.syndication).

Лента у каждого блога своя: /blog/rss/ и /blog/atom/ под адресом его страницы (маршруты
RoutablePageMixin у BlogIndexPage). В неё входят те же статьи, что видит посетитель региона
этого блога: свои и общие. Ссылки на блог и статьи ведут на витрину (core.storefront:
STOREFRONT_URL + путь страницы); адрес самой ленты — там, где её отдают (бэкенд).
"""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from blog import selectors
from core.storefront import page_storefront_url

# Сколько последних материалов в ленте по умолчанию: читалкам больше не нужно, а лента остаётся лёгкой.
DEFAULT_FEED_ITEMS = 30


class BlogRssFeed(Feed):
    """Лента RSS 2.0 статей и новостей блога, новые сверху."""

    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, index):
        return index

    def title(self, index):
        return index.seo_title or index.title

    def link(self, index):
        return page_storefront_url(page=index, request=self.request)

    def description(self, index):
        return index.search_description or index.intro or index.title

    def feed_url(self, index):
        return self.request.build_absolute_uri()

    def items(self, index):
        return selectors.feed_articles(index=index, limit=getattr(settings, "BLOG_FEED_ITEMS", DEFAULT_FEED_ITEMS))

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.lead or article.search_description

    def item_link(self, article):
        return page_storefront_url(page=article, request=self.request)

    def item_guid(self, article):
        # translation_key не меняется при переносе и переименовании: читалки не покажут статью дважды.
        return f"urn:uuid:{article.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, article):
        return article.first_published_at or _start_of_day(article.publish_date)

    def item_updateddate(self, article):
        return article.last_published_at or self.item_pubdate(article)

    def item_author_name(self, article):
        return article.author.name if article.author else None

    def item_categories(self, article):
        categories = [item.tag.name for item in article.tagged_items.all()]
        if article.category:
            categories.insert(0, article.category.name)
        return categories


class BlogAtomFeed(BlogRssFeed):
    """Лента Atom 1.0 того же блога."""

    feed_type = Atom1Feed

    def subtitle(self, index):
        return self.description(index)


def _start_of_day(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))
