"""Отчёты поиска в Wagtail admin: популярные запросы, запросы без результатов, популярные товары
и категории — за выбранные даты и регион, с выгрузкой в CSV и XLSX.

Отчёты читают только дневные агрегаты (задача search_stats_aggregate), поэтому открываются
быстро при любом объёме журнала и не зависят от срока его хранения.
"""

import django_filters
from django.db.models import CharField, OuterRef, Subquery, Sum
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from commerce.catalog.models import Category, Product
from commerce.search.models import CategoryDaily, ProductDaily, SearchQueryDaily
from regions.models import Region


def _region_choices():
    return [(region.code, region.name) for region in Region.objects.order_by("sort_order", "code")]


class DailyReportFilterSet(WagtailFilterSet):
    """Фильтр отчёта: период (включительно) и регион."""

    date = django_filters.DateFromToRangeFilter(label=_("Период"), widget=DateRangePickerWidget)
    region_code = django_filters.ChoiceFilter(label=_("Регион"), choices=_region_choices, empty_label=_("Все регионы"))

    class Meta:
        fields = ["date", "region_code"]


class QueryReportFilterSet(DailyReportFilterSet):
    class Meta(DailyReportFilterSet.Meta):
        model = SearchQueryDaily


class ProductReportFilterSet(DailyReportFilterSet):
    class Meta(DailyReportFilterSet.Meta):
        model = ProductDaily


class CategoryReportFilterSet(DailyReportFilterSet):
    class Meta(DailyReportFilterSet.Meta):
        model = CategoryDaily


SEARCH_ANALYTICS_PERMISSION = "search.view_search_analytics"


class SearchAnalyticsPermissionPolicy(ModelPermissionPolicy):
    """Отчёты поиска открываются с одним правом search.view_search_analytics, а не view_* каждой таблицы."""

    def user_has_permission(self, user, action):
        return user.is_active and user.has_perm(SEARCH_ANALYTICS_PERMISSION)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)


class DailyReportView(ReportView):
    """Основа отчётов: фильтр по агрегатам дня, затем группировка за период."""

    results_template_name = "wagtailadmin/reports/base_report_results.html"
    paginate_by = 50
    model = None
    group_by = ()
    sums = ()
    ordering = ()

    @property
    def permission_policy(self):
        return SearchAnalyticsPermissionPolicy(self.model)

    permission_required = "view"

    def get_queryset(self):
        return self.model.objects.all()

    def annotate_rows(self, queryset):
        return queryset

    def get_filtered_queryset(self):
        queryset = self.filter_queryset(self.get_queryset())
        rows = queryset.values(*self.group_by).annotate(**{name: Sum(name) for name in self.sums})
        return self.annotate_rows(rows).order_by(*self.ordering)


class SearchQueriesReportView(DailyReportView):
    page_title = _("Популярные поисковые запросы")
    header_icon = "search"
    index_url_name = "search_report_queries"
    index_results_url_name = "search_report_queries_results"
    model = SearchQueryDaily
    filterset_class = QueryReportFilterSet
    group_by = ("query",)
    sums = ("searches", "zero_results", "views", "carts", "purchases")
    ordering = ("-searches", "query")
    columns = [
        Column("query", label=_("Запрос")),
        Column("searches", label=_("Поисков")),
        Column("zero_results", label=_("Без результатов")),
        Column("views", label=_("Просмотров")),
        Column("carts", label=_("В корзину")),
        Column("purchases", label=_("Покупок")),
    ]
    list_export = ["query", "searches", "zero_results", "views", "carts", "purchases"]
    export_headings = {column.name: column.label for column in columns}
    export_filename = "search-queries"


class ZeroResultsReportView(SearchQueriesReportView):
    """Запросы, которые ничего не нашли: чего в магазине не хватает (или как ищут иначе)."""

    page_title = _("Запросы без результатов")
    header_icon = "warning"
    index_url_name = "search_report_zero_results"
    index_results_url_name = "search_report_zero_results_results"
    sums = ("zero_results", "searches")
    ordering = ("-zero_results", "query")
    columns = [
        Column("query", label=_("Запрос")),
        Column("zero_results", label=_("Без результатов")),
        Column("searches", label=_("Всего поисков")),
    ]
    list_export = ["query", "zero_results", "searches"]
    export_headings = {column.name: column.label for column in columns}
    export_filename = "search-zero-results"

    def annotate_rows(self, rows):
        return rows.filter(zero_results__gt=0)


class PopularProductsReportView(DailyReportView):
    page_title = _("Популярные товары")
    header_icon = "pick"
    index_url_name = "search_report_products"
    index_results_url_name = "search_report_products_results"
    model = ProductDaily
    filterset_class = ProductReportFilterSet
    group_by = ("product_id",)
    sums = ("views", "carts", "purchases", "from_search")
    ordering = ("-purchases", "-carts", "-views", "product_id")
    columns = [
        Column("name", label=_("Товар")),
        Column("views", label=_("Просмотров")),
        Column("carts", label=_("В корзину, шт.")),
        Column("purchases", label=_("Куплено, шт.")),
        Column("from_search", label=_("Событий из поиска")),
    ]
    list_export = ["product_id", "name", "views", "carts", "purchases", "from_search"]
    export_headings = {"product_id": "id", **{column.name: column.label for column in columns}}
    export_filename = "popular-products"

    def annotate_rows(self, rows):
        name = Product.objects.filter(pk=OuterRef("product_id")).values("name")[:1]
        return rows.annotate(name=Subquery(name, output_field=CharField()))


class PopularCategoriesReportView(DailyReportView):
    page_title = _("Популярные категории")
    header_icon = "folder-open-inverse"
    index_url_name = "search_report_categories"
    index_results_url_name = "search_report_categories_results"
    model = CategoryDaily
    filterset_class = CategoryReportFilterSet
    group_by = ("category_id",)
    sums = ("views", "carts", "purchases")
    ordering = ("-purchases", "-carts", "-views", "category_id")
    columns = [
        Column("name", label=_("Категория")),
        Column("views", label=_("Просмотров")),
        Column("carts", label=_("В корзину, шт.")),
        Column("purchases", label=_("Куплено, шт.")),
    ]
    list_export = ["category_id", "name", "views", "carts", "purchases"]
    export_headings = {"category_id": "id", **{column.name: column.label for column in columns}}
    export_filename = "popular-categories"

    def annotate_rows(self, rows):
        name = Category.objects.filter(pk=OuterRef("category_id")).values("name")[:1]
        return rows.annotate(name=Subquery(name, output_field=CharField()))


REPORTS = [
    ("search-queries", SearchQueriesReportView, "search_report_queries", _("Поиск: популярные запросы"), "search"),
    (
        "search-zero-results",
        ZeroResultsReportView,
        "search_report_zero_results",
        _("Поиск: без результатов"),
        "warning",
    ),
    ("popular-products", PopularProductsReportView, "search_report_products", _("Популярные товары"), "pick"),
    (
        "popular-categories",
        PopularCategoriesReportView,
        "search_report_categories",
        _("Популярные категории"),
        "folder-open-inverse",
    ),
]
