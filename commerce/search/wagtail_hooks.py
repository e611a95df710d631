"""Отчёты поиска в меню «Отчёты» Wagtail admin и переиндексация товара после правки в админке.

Отчёты и их пункты меню — с правом search.view_search_analytics.
"""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from commerce.catalog.models import Product
from commerce.search import admin_panels  # noqa: F401 — регистрирует панель на главной
from commerce.search.indexing import products_reindex
from commerce.search.reports import REPORTS, SEARCH_ANALYTICS_PERMISSION


class SearchReportMenuItem(MenuItem):
    """Пункт отчёта поиска виден только тем, кому отчёт откроется."""

    def is_shown(self, request):
        return request.user.has_perm(SEARCH_ANALYTICS_PERMISSION)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    urls = []
    for slug, view, name, _label, _icon in REPORTS:
        urls.append(path(f"reports/{slug}/", view.as_view(), name=name))
        urls.append(path(f"reports/{slug}/results/", view.as_view(results_only=True), name=f"{name}_results"))
    return urls


def _menu_hook(name, label, icon, order):
    @hooks.register("register_reports_menu_item")
    def register_menu_item():
        return SearchReportMenuItem(label, reverse(name), icon_name=icon, order=order)

    return register_menu_item


for position, (_slug, _view, _name, _label, _icon) in enumerate(REPORTS):
    _menu_hook(_name, _label, _icon, 900 + position)


@hooks.register("after_edit_snippet")
@hooks.register("after_create_snippet")
def reindex_product_after_admin_save(request, instance):
    """Переиндексировать товар после сохранения в админке.

    Дополнительные категории и атрибуты (дочерние строки ClusterableModel) сохраняются
    после сигнала post_save товара, поэтому индекс обновляется ещё раз, когда всё записано.
    """
    if isinstance(instance, Product):
        products_reindex(product_ids=[instance.pk])
