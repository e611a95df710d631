"""Регионы в админке Wagtail: раздел «Регионы» и копирование страниц между регионами."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from regions.models import Region, RegionHomePage
from regions.selectors import page_region
from regions.views import PageCopyToRegionsView


class RegionViewSet(ModelViewSet):
    """Раздел «Регионы» в меню админки."""

    model = Region
    icon = "site"
    menu_label = _("Регионы")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["code", "name", "is_default", "is_active", "currency", "subdomain", "subfolder"]
    list_filter = ["is_active", "is_default"]
    search_fields = ["code", "name", "name_en"]
    form_fields = [
        "code",
        "name",
        "name_en",
        "is_default",
        "is_active",
        "currency",
        "time_zone",
        "phone",
        "address",
        "subdomain",
        "subfolder",
        "geoip_codes",
        "geoip_cities",
        "sort_order",
    ]


@hooks.register("register_admin_viewset")
def register_region_viewset():
    return RegionViewSet("regions")


@hooks.register("register_admin_urls")
def register_region_admin_urls():
    return [path("regions-copy/<int:page_id>/", PageCopyToRegionsView.as_view(), name="regions_page_copy")]


def _region_buttons(page, user):
    """Показать регион страницы и дать скопировать её в другие регионы."""
    if page.depth <= 2 or isinstance(page.specific_deferred, RegionHomePage):
        return
    region = page_region(page=page)
    if region is None or not page.permissions_for_user(user).can_copy():
        return
    yield PageMenuItem(
        _("Регион «%(region)s»: копировать в другие") % {"region": region},
        url=reverse("regions_page_copy", args=[page.pk]),
        icon_name="copy",
        priority=25,
        page=page,
    )


@hooks.register("register_page_listing_more_buttons")
def page_listing_region_buttons(page, user, next_url=None):
    yield from _region_buttons(page, user)


@hooks.register("register_page_header_buttons")
def page_header_region_buttons(page, user, view_name, next_url=None):
    yield from _region_buttons(page, user)
