"""Поля Wagtail API v2 страниц блога: чистый JSON для витрины.

Поля списков читают только заранее подгруженные данные (см. selectors.article_queryset_with_relations
и api.BlogListingFilter), поэтому список любой длины стоит постоянного числа запросов.
Поля с source="*" получают страницу целиком.
"""

from rest_framework import serializers

from blog.images import AUTHOR_RENDITIONS, COVER_RENDITIONS, OPEN_GRAPH_RENDITION, image_representation
from core.storefront import page_storefront_url


def _is_listing(context):
    view = context.get("view")
    return getattr(view, "action", None) == "listing_view"


class CoverImageField(serializers.Field):
    """Обложка: {"id", "title", "alt", "width", "height", "renditions": {"card", "wide"}}."""

    def to_representation(self, image):
        return image_representation(image, COVER_RENDITIONS)


class AuthorField(serializers.Field):
    """Автор: {"id", "name", "slug", "role", "bio", "photo"}."""

    def to_representation(self, author):
        return {
            "id": author.pk,
            "name": author.name,
            "slug": author.slug,
            "role": author.role,
            "bio": author.bio,
            "photo": image_representation(author.photo, AUTHOR_RENDITIONS),
        }


class CategoryField(serializers.Field):
    """Рубрика: {"id", "name", "slug"}."""

    def to_representation(self, category):
        return {"id": category.pk, "name": category.name, "slug": category.slug}


class TagsField(serializers.Field):
    """Теги по алфавиту: [{"name", "slug"}].

    Читает связи статьи (tagged_items), а не менеджер tags: связи подгружены списком заранее
    и есть в памяти у страницы предпросмотра, которой нет в базе.
    """

    def to_representation(self, page):
        items = sorted(page.tagged_items.all(), key=lambda item: item.tag.name)
        return [{"name": item.tag.name, "slug": item.tag.slug} for item in items]


class SeriesField(serializers.Field):
    """Место статьи в серии: серия, номер части, всего частей, предыдущая и следующая части; вне серии — null.

    В списке навигация считается для всей страницы результатов сразу (два запроса на список).
    """

    CACHE_KEY = "blog_series_navigation"

    def to_representation(self, page):
        # blog.models импортирует этот модуль при загрузке, а selectors — модели: импорт здесь разрывает цикл.
        from blog.selectors import series_navigation_for

        request = self.context.get("request")
        cache = self.context.setdefault(self.CACHE_KEY, {})
        if page.pk not in cache:
            batch = self._listing_pages() if _is_listing(self.context) else [page]
            if page not in batch:
                batch = [page]
            cache.update(series_navigation_for(pages=batch, request=request))
        return cache.get(page.pk)

    def _listing_pages(self):
        listing = getattr(getattr(self.parent, "parent", None), "instance", None)
        return list(listing) if listing is not None else []


class SeriesArticlesField(serializers.Field):
    """Части серии по порядку: [{"id", "title", "slug", "url", "position"}]; в списках не отдаётся (null)."""

    def to_representation(self, series):
        # blog.models импортирует этот модуль при загрузке, а selectors — модели: импорт здесь разрывает цикл.
        from blog.selectors import series_parts

        if _is_listing(self.context):
            return None
        return series_parts(series=series, request=self.context.get("request"))


class SeoField(serializers.Field):
    """SEO и Open Graph: {"title", "description", "og_image": {"url", "width", "height"}, "canonical_url"}."""

    def to_representation(self, page):
        image = page.seo_image
        og_image = None
        if image is not None:
            rendition = image.get_rendition(OPEN_GRAPH_RENDITION)
            og_image = {"url": rendition.full_url, "width": rendition.width, "height": rendition.height}
        request = self.context.get("request")
        return {
            "title": page.seo_title or page.title,
            "description": page.search_description or page.seo_description_fallback,
            "og_image": og_image,
            "canonical_url": page_storefront_url(page=page, request=request) if page.pk else None,
        }


class FeedLinksField(serializers.Field):
    """Адреса лент блога: {"rss", "atom"}."""

    def to_representation(self, index):
        url = index.get_full_url(self.context.get("request")) if index.pk else None
        if not url:
            return {"rss": None, "atom": None}
        return {"rss": url + index.reverse_subpage("rss_feed"), "atom": url + index.reverse_subpage("atom_feed")}


class NewsArchiveField(serializers.Field):
    """Архив новостей блога по месяцам: [{"year", "month", "count"}]; в списках не отдаётся (null)."""

    def to_representation(self, index):
        # blog.models импортирует этот модуль при загрузке, а selectors — модели: импорт здесь разрывает цикл.
        from blog.selectors import news_archive

        if _is_listing(self.context) or not index.pk:
            return None
        return news_archive(index=index)
