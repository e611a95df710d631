"""Акции в Wagtail admin: акции с промокодами (по регионам и датам), применения и отчёт.

Права — модельные (promotions.add_promotion, change_promotion, …) через группы; отчёт — с
правом promotions.view_promotion_report.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from commerce.promotions.models import Promotion, PromotionUsage
from commerce.promotions.reports import PROMOTION_REPORT_PERMISSION, PromotionReportView


class PromotionViewSet(SnippetViewSet):
    model = Promotion
    icon = "tag"
    menu_label = _("Акции")
    list_display = ["name", "kind", "effect", "discount_value", "starts_at", "ends_at", "is_active", "is_live"]
    list_filter = ["kind", "is_active", "regions"]
    search_fields = ["name", "label", "codes__code"]
    ordering = ["-priority", "id"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("name"),
                    FieldRowPanel([FieldPanel("kind"), FieldPanel("effect")]),
                    FieldRowPanel([FieldPanel("discount_type"), FieldPanel("discount_value")]),
                    FieldRowPanel([FieldPanel("nth_item"), FieldPanel("gift_variant")]),
                    FieldRowPanel([FieldPanel("label"), FieldPanel("is_active")]),
                    FieldPanel("description"),
                ],
                heading=_("Акция"),
            ),
            ObjectList(
                [
                    FieldPanel("regions"),
                    FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                    MultiFieldPanel(
                        [
                            FieldRowPanel([FieldPanel("min_subtotal"), FieldPanel("first_order_only")]),
                            FieldRowPanel([FieldPanel("usage_limit"), FieldPanel("per_customer_limit")]),
                        ],
                        heading=_("Условия (правила корзины и промокоды)"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldRowPanel([FieldPanel("priority"), FieldPanel("is_exclusive")]),
                            FieldPanel("skip_discounted_items"),
                        ],
                        heading=_("Сочетание с другими акциями"),
                    ),
                ],
                heading=_("Где и когда"),
            ),
            ObjectList(
                [
                    FieldPanel("categories"),
                    FieldPanel("brands"),
                    FieldPanel("attribute_choices"),
                    FieldPanel("products"),
                ],
                heading=_("Товары"),
            ),
            ObjectList([InlinePanel("codes", label=_("Промокоды"))], heading=_("Промокоды")),
        ]
    )


class PromotionUsageViewSet(SnippetViewSet):
    """Применения акций в заказах — только просмотр (пишет оформление заказа)."""

    model = PromotionUsage
    icon = "list-ul"
    menu_label = _("Применения")
    list_display = ["promotion", "code", "order", "discount_amount", "free_delivery", "created_at"]
    list_filter = ["promotion__kind", "free_delivery"]
    inspect_view_enabled = True
    ordering = ["-created_at", "-id"]


class PromotionsViewSetGroup(SnippetViewSetGroup):
    items = (PromotionViewSet, PromotionUsageViewSet)
    menu_icon = "tag"
    menu_label = _("Акции")
    menu_name = "promotions"
    menu_order = 230


register_snippet(PromotionsViewSetGroup)


class PromotionReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PROMOTION_REPORT_PERMISSION)


@hooks.register("register_admin_urls")
def register_promotion_report_urls():
    return [
        path("reports/promotions/", PromotionReportView.as_view(), name="promotions_report"),
        path(
            "reports/promotions/results/",
            PromotionReportView.as_view(results_only=True),
            name="promotions_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_promotion_report_menu_item():
    return PromotionReportMenuItem(_("Акции"), reverse("promotions_report"), icon_name="tag", order=950)
