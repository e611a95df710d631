"""Панель «Поиск без результатов» на главной админки: что искали за неделю и не нашли."""

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commerce.search.models import SearchQueryLog
from commerce.search.reports import SEARCH_ANALYTICS_PERMISSION
from staff.dashboard import DashboardPanel, dashboard_panel_register

DAYS = 7
ROWS_SHOWN = 10


def zero_result_queries_recent(*, days=DAYS, limit=ROWS_SHOWN):
    """Вернуть самые частые запросы без результатов за days дней: [{"query", "searches"}].

    Берётся сырой журнал поиска, а не дневные сводки: сводка за сегодня ещё не посчитана,
    а менеджеру нужна и сегодняшняя картина.
    """
    since = timezone.now() - timedelta(days=days)
    rows = (
        SearchQueryLog.objects.filter(created_at__gte=since, results_count=0)
        .values("query")
        .annotate(searches=Count("id"))
        .order_by("-searches", "query")
    )
    return list(rows[:limit])


@dashboard_panel_register
class ZeroResultsPanel(DashboardPanel):
    """Запросы без результатов: видна с правом на аналитику поиска."""

    name = "shop_zero_results"
    order = 40
    permissions = (SEARCH_ANALYTICS_PERMISSION,)
    template_name = "search/admin/dashboard_panel.html"
    title = _("Поиск без результатов")

    def get_context_data(self, parent_context):
        return {"rows": zero_result_queries_recent()}
