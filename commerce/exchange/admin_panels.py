"""Панель «Обмен каталогом» на главной админки: идущие и неудачные импорты и экспорты за неделю."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commerce.exchange import permissions as exchange_permissions
from commerce.exchange import selectors
from commerce.exchange.models import ExportStatus, ImportStatus
from staff.dashboard import DashboardPanel, dashboard_panel_register

RECENT_DAYS = 7
ROWS_SHOWN = 10
IMPORT_RUNNING = (ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.APPLYING)
IMPORT_PROBLEMS = (ImportStatus.REJECTED, ImportStatus.FAILED)
IMPORT_WAITING = (ImportStatus.PREVIEW,)
EXPORT_ATTENTION = (ExportStatus.PENDING, ExportStatus.RUNNING, ExportStatus.FAILED)


def exchange_dashboard_jobs(*, user):
    """Вернуть видимые пользователю импорты и экспорты, которые требуют внимания.

    Импорт: идёт, ждёт подтверждения или не удался за последние RECENT_DAYS дней;
    экспорт: в очереди, идёт или с ошибкой. По ROWS_SHOWN самых свежих.
    """
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    statuses = (*IMPORT_RUNNING, *IMPORT_WAITING, *IMPORT_PROBLEMS)
    imports = selectors.import_jobs_visible(user=user).filter(created_at__gte=since, status__in=statuses)
    exports = selectors.export_jobs_visible(user=user).filter(created_at__gte=since, status__in=EXPORT_ATTENTION)
    return {
        "imports": list(imports.order_by("-created_at", "-id")[:ROWS_SHOWN]),
        "exports": list(exports.select_related("category", "region").order_by("-created_at", "-id")[:ROWS_SHOWN]),
        "problem_statuses": {status.value for status in (*IMPORT_PROBLEMS, ExportStatus.FAILED)},
    }


@dashboard_panel_register
class ExchangePanel(DashboardPanel):
    """Импорты и экспорты, на которые стоит посмотреть: видна тем, кто запускает или видит журнал."""

    name = "shop_exchange"
    order = 20
    permissions = (
        exchange_permissions.RUN_IMPORT,
        exchange_permissions.VIEW_ALL_IMPORTS,
        exchange_permissions.RUN_EXPORT,
        exchange_permissions.VIEW_ALL_EXPORTS,
    )
    template_name = "exchange/admin/dashboard_panel.html"
    title = _("Обмен каталогом")

    def get_context_data(self, parent_context):
        return {"jobs": exchange_dashboard_jobs(user=self.request.user), "days": RECENT_DAYS}
