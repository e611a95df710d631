"""Региональное поведение Wagtail API v2 (/api/v2/pages/): списки и поиск по пути — для региона запроса.

Подмешивается к PagesApi в api/wagtail_api.py. Регион берётся из request.region
(?region=, X-Region, поддомен, подпапка в html_path, GeoIP, cookie, по умолчанию),
язык — из ?locale= или Accept-Language.
"""

from django.utils.translation import get_language
from wagtail.api.v2.filters import ChildOfFilter, LocaleFilter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page, PageViewRestriction

from regions import selectors


class RegionalChildOfFilter(ChildOfFilter):
    """?child_of=root — дети домашней страницы региона вместе с запасными страницами региона по умолчанию."""

    def filter_queryset(self, request, queryset, view):
        if request.GET.get("child_of") != "root":
            return super().filter_queryset(request, queryset, view)
        home = view.get_root_page()
        # Список уже сужен до дерева региона и запасных страниц, а домашние страницы регионов
        # лежат на одной глубине: дети любой из них — это страницы на глубину ниже.
        queryset = queryset.filter(depth=home.depth + 1)
        queryset._filtered_by_child_of = home
        return queryset


class RegionQueryParameterMixin:
    """Разрешить ?region= в эндпоинте Wagtail API: его читает RegionMiddleware, а не эндпоинт.

    Без этого Wagtail отвечает 400 на незнакомый параметр запроса.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        known = getattr(cls, "known_query_parameters", None)
        if known is not None:  # у самих миксинов набора ещё нет
            cls.known_query_parameters = frozenset({*known, "region"})


class RegionalPagesMixin(RegionQueryParameterMixin):
    """Отвечать списками и поиском по пути для региона запроса, с запасными страницами региона по умолчанию.

    Страница по id (/api/v2/pages/<id>/) отдаётся из любого регионального дерева: id глобален,
    и переход после /find/ не должен зависеть от того, как витрина передала регион.
    """

    filter_backends = [
        RegionalChildOfFilter if backend is ChildOfFilter else backend
        for backend in PagesAPIViewSet.filter_backends
        # Язык уже учтён выбором дерева (selectors.page_queryset_for_region).
        if backend is not LocaleFilter
    ]

    def get_locale(self):
        """Локаль Wagtail запроса: ?locale= или Accept-Language (язык уже включён middleware)."""
        if not hasattr(self, "_region_locale"):
            self._region_locale = selectors.locale_for_language(self.request.GET.get("locale") or get_language())
        return self._region_locale

    def get_root_page(self):
        """Домашняя страница региона запроса — это «root» в ?child_of=root."""
        home = selectors.region_home_page(region=self.request.region, locale=self.get_locale())
        return home or selectors.region_default_home_page(locale=self.get_locale()) or super().get_root_page()

    def get_base_queryset(self):
        """Живые страницы, доступные анонимному посетителю, без привязки к сайту Wagtail по Host."""
        # Локаль — поле списка по умолчанию: без select_related по запросу на каждую страницу.
        queryset = Page.objects.all().live().select_related("locale")
        for restriction in PageViewRestriction.objects.select_related("page"):
            if not restriction.accept_request(self.request):
                queryset = queryset.not_descendant_of(restriction.page, inclusive=True)
        return queryset

    def regional_queryset(self, queryset):
        """Сузить страницы до дерева региона запроса плюс запасных страниц региона по умолчанию."""
        return selectors.page_queryset_for_region(
            queryset=queryset, region=self.request.region, locale=self.get_locale()
        )

    def listing_view(self, request):
        queryset = self.regional_queryset(self.get_queryset())
        self.check_query_parameters(queryset)
        queryset = self.filter_queryset(queryset)
        queryset = self.paginate_queryset(queryset)
        serializer = self.get_serializer(queryset, many=True)
        return self.get_paginated_response(serializer.data)

    def find_object(self, queryset, request):
        if "html_path" in request.GET:
            return selectors.page_find_for_region(
                queryset=queryset, region=request.region, locale=self.get_locale(), path=request.GET["html_path"]
            )
        return super().find_object(queryset, request)
