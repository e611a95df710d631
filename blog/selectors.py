"""Чтения блога: выборки для списков API и лент, навигация по сериям, архив новостей.

Все выборки собирают связанные данные заранее (select_related / prefetch_related), чтобы список
любой длины стоил постоянного числа SQL-запросов.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Prefetch
from django.db.models.functions import ExtractMonth, ExtractYear, Length, Substr
from wagtail.images import get_image_model
from wagtail.models import Page

from blog.images import AUTHOR_RENDITIONS, COVER_RENDITIONS, OPEN_GRAPH_RENDITION
from blog.models import ArticleKind, ArticlePage, ArticlePageTag, SeriesPage
from regions import selectors as region_selectors


def _renditions_prefetch(lookup, specs):
    """Подгрузить одним запросом нужные варианты картинок по связи lookup."""
    rendition_model = get_image_model().get_rendition_model()
    return Prefetch(f"{lookup}__renditions", queryset=rendition_model.objects.filter(filter_spec__in=list(specs)))


def article_queryset_with_relations(queryset):
    """Подгрузить к статьям всё, что отдают список API и ленты: автора, рубрику, теги, картинки.

    Число запросов не зависит от числа статей: по одному на теги и на каждый набор вариантов картинок.
    """
    return queryset.select_related(
        "locale", "author", "author__photo", "category", "cover_image", "og_image"
    ).prefetch_related(
        Prefetch("tagged_items", queryset=_tagged_items_queryset()),
        _renditions_prefetch("cover_image", [*COVER_RENDITIONS.values(), OPEN_GRAPH_RENDITION]),
        _renditions_prefetch("og_image", [OPEN_GRAPH_RENDITION]),
        _renditions_prefetch("author__photo", AUTHOR_RENDITIONS.values()),
    )


def series_queryset_with_relations(queryset):
    """Подгрузить к сериям обложки и картинки для соцсетей."""
    return queryset.select_related("locale", "cover_image", "og_image").prefetch_related(
        _renditions_prefetch("cover_image", [*COVER_RENDITIONS.values(), OPEN_GRAPH_RENDITION]),
        _renditions_prefetch("og_image", [OPEN_GRAPH_RENDITION]),
    )


def _tagged_items_queryset():
    return ArticlePageTag.objects.select_related("tag").order_by("tag__name")


def article_list_newest_first(queryset):
    """Упорядочить статьи: новые сверху — по дате публикации, затем по времени первой публикации."""
    return queryset.order_by("-publish_date", F("first_published_at").desc(nulls_last=True), "-pk")


def _parent_path(page):
    return page.path[: -Page.steplen] if page.path and len(page.path) > Page.steplen else None


def series_navigation_for(*, pages, request=None):
    """Посчитать для статей их место в серии: серия, номер части, всего частей, предыдущая и следующая.

    Два запроса на любое число статей: серии-родители и их опубликованные части.

    Args:
        pages: статьи (ArticlePage); статьи вне серии получают None.
        request: запрос — для адресов страниц (корни сайтов кэшируются на нём).

    Returns:
        dict: id статьи → {"id", "title", "slug", "url", "position", "total", "previous", "next"} или None.
    """
    pages = [page for page in pages if page is not None]
    parent_paths = {_parent_path(page) for page in pages} - {None}
    series_by_path = (
        {
            series.path: series
            for series in SeriesPage.objects.filter(path__in=parent_paths).only(
                "id", "title", "slug", "path", "depth", "url_path"
            )
        }
        if parent_paths
        else {}
    )
    parts_by_series_path = {path: [] for path in series_by_path}
    if series_by_path:
        parts = (
            Page.objects.live()
            .filter(content_type=ContentType.objects.get_for_model(ArticlePage))
            .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
            .filter(parent_path__in=list(series_by_path), depth=next(iter(series_by_path.values())).depth + 1)
            .only("id", "title", "slug", "path", "url_path", "depth")
            .order_by("path")
        )
        for part in parts:
            parts_by_series_path[part.parent_path].append(part)
    result = {}
    for page in pages:
        series = series_by_path.get(_parent_path(page))
        if series is None:
            result[page.pk] = None
            continue
        parts = parts_by_series_path[series.path]
        ids = [part.pk for part in parts]
        index = ids.index(page.pk) if page.pk in ids else None
        result[page.pk] = {
            "id": series.pk,
            "title": series.title,
            "slug": series.slug,
            "url": series.get_url(request),
            "position": index + 1 if index is not None else None,
            "total": len(parts),
            "previous": _page_link(parts[index - 1], request) if index else None,
            "next": _page_link(parts[index + 1], request) if index is not None and index + 1 < len(parts) else None,
        }
    return result


def _page_link(page, request):
    return {"id": page.pk, "title": page.title, "slug": page.slug, "url": page.get_url(request)}


def series_parts(*, series, request=None):
    """Вернуть опубликованные части серии по порядку: [{"id", "title", "slug", "url", "position"}]."""
    parts = ArticlePage.objects.live().child_of(series).only("id", "title", "slug", "path", "url_path").order_by("path")
    return [{**_page_link(part, request), "position": number} for number, part in enumerate(parts, start=1)]


def news_archive(*, index):
    """Вернуть архив новостей блога по месяцам, новые сверху: [{"year", "month", "count"}].

    Один запрос. Месяц берётся из даты публикации.
    """
    rows = (
        ArticlePage.objects.live()
        .descendant_of(index)
        .filter(kind=ArticleKind.NEWS)
        .annotate(year=ExtractYear("publish_date"), month=ExtractMonth("publish_date"))
        .values("year", "month")
        .annotate(count=Count("id"))
        .order_by("-year", "-month")
    )
    return [{"year": row["year"], "month": row["month"], "count": row["count"]} for row in rows]


def feed_articles(*, index, limit):
    """Вернуть статьи и новости для ленты блога: опубликованные, новые сверху, с автором и рубрикой.

    В ленту блога региона входят его статьи и общие (из блога региона по умолчанию) — как в списке API.
    """
    queryset = regional_articles_for_index(index=index, queryset=ArticlePage.objects.live().public())
    queryset = queryset.select_related("author", "category").prefetch_related(
        Prefetch("tagged_items", queryset=_tagged_items_queryset())
    )
    return list(article_list_newest_first(queryset)[:limit])


def regional_articles_for_index(*, index, queryset):
    """Сузить статьи до тех, что видит посетитель региона этого блога.

    Как список /api/v2/pages/ для региона (regions.selectors.page_queryset_for_region): статьи
    дерева региона плюс общие — из дерева региона по умолчанию. Блог региона по умолчанию
    показывает только своё дерево.
    """
    region = region_selectors.page_region(page=index)
    if region is None:
        return queryset.descendant_of(index)
    return region_selectors.page_queryset_for_region(queryset=queryset, region=region, locale=index.locale)
