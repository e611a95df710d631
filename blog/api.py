"""Фильтры блога для /api/v2/pages/: тег, рубрика, серия, даты — и подгрузка данных списка.

Подключается к PagesApi в api/wagtail_api.py одной строкой (перед поиском: SearchFilter Wagtail
должен быть последним). Параметры работают со списком статей ``?type=blog.ArticlePage``;
``?kind=``, ``?category=<id>`` и ``?tags=<имя>`` Wagtail фильтрует сам (это поля модели).
"""

import datetime

from django.utils.translation import gettext as _
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.utils import BadRequestError

from blog import selectors
from blog.models import ArticlePage, SeriesPage

TAG = "tag"
CATEGORY_SLUG = "category_slug"
SERIES = "series"
DATE_FROM = "date_from"
DATE_TO = "date_to"
YEAR = "year"
MONTH = "month"


def _parse_date(name, value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise BadRequestError(
            _("Параметр %(name)s: ожидается дата ГГГГ-ММ-ДД, получено «%(value)s».") % {"name": name, "value": value}
        ) from exc


def _parse_positive_int(name, value, *, maximum=None):
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1 or (maximum is not None and number > maximum):
        raise BadRequestError(
            _("Параметр %(name)s: ожидается целое число от 1, получено «%(value)s».") % {"name": name, "value": value}
        )
    return number


class BlogListingFilter(BaseFilterBackend):
    """Отфильтровать статьи блога по ?tag=, ?category_slug=, ?series=, ?date_from=, ?date_to=, ?year=, ?month=.

    Без ?order= статьи идут новые сверху, а части серии (?series=) — в порядке серии.
    К статьям и сериям заранее подгружаются авторы, рубрики, теги и картинки: число SQL-запросов
    списка не зависит от его длины.
    """

    query_parameters = frozenset({TAG, CATEGORY_SLUG, SERIES, DATE_FROM, DATE_TO, YEAR, MONTH})

    def filter_queryset(self, request, queryset, view):
        model = queryset.model
        if issubclass(model, SeriesPage):
            return selectors.series_queryset_with_relations(queryset)
        used = sorted(self.query_parameters.intersection(request.GET))
        if not issubclass(model, ArticlePage):
            if used:
                raise BadRequestError(
                    _("Фильтры %(names)s работают только вместе с type=blog.ArticlePage.") % {"names": ", ".join(used)}
                )
            return queryset
        queryset = self._filter(request, queryset)
        if "order" not in request.GET:
            queryset = (
                queryset.order_by("path") if SERIES in request.GET else selectors.article_list_newest_first(queryset)
            )
        return selectors.article_queryset_with_relations(queryset)

    def _filter(self, request, queryset):
        params = request.GET
        if TAG in params:
            for slug in filter(None, (item.strip() for item in params[TAG].split(","))):
                # Отдельный filter() на каждый тег — отдельное соединение: статья должна иметь все теги.
                queryset = queryset.filter(tagged_items__tag__slug=slug)
        if CATEGORY_SLUG in params:
            queryset = queryset.filter(category__slug=params[CATEGORY_SLUG])
        if SERIES in params:
            series_id = _parse_positive_int(SERIES, params[SERIES])
            series = SeriesPage.objects.filter(pk=series_id).first()
            if series is None:
                raise BadRequestError(_("Серии с id %(id)s нет.") % {"id": series_id})
            queryset = queryset.child_of(series)
        if DATE_FROM in params:
            queryset = queryset.filter(publish_date__gte=_parse_date(DATE_FROM, params[DATE_FROM]))
        if DATE_TO in params:
            queryset = queryset.filter(publish_date__lte=_parse_date(DATE_TO, params[DATE_TO]))
        if YEAR in params:
            queryset = queryset.filter(publish_date__year=_parse_positive_int(YEAR, params[YEAR], maximum=9999))
        if MONTH in params:
            if YEAR not in params:
                raise BadRequestError(_("Параметр month работает только вместе с year."))
            queryset = queryset.filter(publish_date__month=_parse_positive_int(MONTH, params[MONTH], maximum=12))
        return queryset
