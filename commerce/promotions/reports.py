"""Отчёт по акциям в Wagtail admin: применения, заказы и сумма скидки по акциям и промокодам.

Открывается с правом promotions.view_promotion_report; фильтр — период и вид акции; выгрузка
в CSV и XLSX. Строка — акция и код (у автоматических акций кода нет).
"""

import django_filters
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from commerce.promotions.models import PromotionKind, PromotionUsage

PROMOTION_REPORT_PERMISSION = "promotions.view_promotion_report"


class PromotionReportFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(label=_("Период"), widget=DateRangePickerWidget)
    promotion__kind = django_filters.ChoiceFilter(
        label=_("Вид акции"), choices=PromotionKind.choices, empty_label=_("Все виды")
    )

    class Meta:
        model = PromotionUsage
        fields = ["created_at", "promotion__kind"]


class PromotionReportPermissionPolicy(ModelPermissionPolicy):
    """Отчёт открывается с одним правом view_promotion_report, а не view_* таблицы применений."""

    def user_has_permission(self, user, action):
        return user.is_active and user.has_perm(PROMOTION_REPORT_PERMISSION)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)


class PromotionReportView(ReportView):
    page_title = _("Отчёт по акциям")
    header_icon = "tag"
    index_url_name = "promotions_report"
    index_results_url_name = "promotions_report_results"
    results_template_name = "wagtailadmin/reports/base_report_results.html"
    filterset_class = PromotionReportFilterSet
    paginate_by = 50
    permission_required = "view"
    columns = [
        Column("promotion__name", label=_("Акция")),
        Column("code__code", label=_("Промокод")),
        Column("usages", label=_("Применений")),
        Column("orders", label=_("Заказов")),
        Column("discount", label=_("Скидка, ₽")),
        Column("free_deliveries", label=_("Бесплатных доставок")),
    ]
    list_export = ["promotion__name", "code__code", "usages", "orders", "discount", "free_deliveries"]
    export_headings = {column.name: column.label for column in columns}
    export_filename = "promotions"

    @property
    def permission_policy(self):
        return PromotionReportPermissionPolicy(PromotionUsage)

    def get_queryset(self):
        return PromotionUsage.objects.all()

    def get_filtered_queryset(self):
        # Та же группировка, что selectors.promotion_report (отчёт API и тестов).
        return (
            self.filter_queryset(self.get_queryset())
            .values("promotion_id", "promotion__name", "code__code")
            .annotate(
                usages=Count("id"),
                orders=Count("order_id", distinct=True),
                discount=Sum("discount_amount"),
                free_deliveries=Count("id", filter=Q(free_delivery=True)),
            )
            .order_by("-discount", "promotion_id", "code__code")
        )
