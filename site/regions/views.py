"""Представления админки Wagtail для регионов: копирование страницы в другие регионы."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from regions.forms import PageCopyToRegionsForm
from regions.selectors import page_region
from regions.services import page_copy_to_regions


class PageCopyToRegionsView(WagtailAdminTemplateMixin, FormView):
    """Скопировать страницу региона в деревья выбранных регионов (черновиками)."""

    template_name = "wagtailadmin/generic/form.html"
    form_class = PageCopyToRegionsForm
    header_icon = "copy"

    def dispatch(self, request, page_id):
        self.page = get_object_or_404(Page, pk=page_id).specific
        # Копия появляется у родителей в других регионах: право добавлять страницы — минимум.
        if not self.page.permissions_for_user(request.user).can_copy():
            raise PermissionDenied
        self.source_region = page_region(page=self.page)
        if self.source_region is None:
            messages.error(request, _("Страница не относится ни к одному региону."))
            return redirect("wagtailadmin_explore", self.page.get_parent().pk)
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return _("Копировать в регионы")

    def get_page_subtitle(self):
        return _("«%(title)s» — страница региона «%(region)s»") % {
            "title": self.page.get_admin_display_title(),
            "region": self.source_region,
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "source_region": self.source_region}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("regions_page_copy", args=[self.page.pk])
        context["submit_button_label"] = _("Копировать")
        context["submit_button_active_label"] = _("Копирование…")
        return context

    def form_valid(self, form):
        results = page_copy_to_regions(page=self.page, regions=form.cleaned_data["regions"], user=self.request.user)
        for result in results:
            if result.page is not None:
                messages.success(
                    self.request, _("Скопировано в регион «%(region)s» черновиком.") % {"region": result.region}
                )
            else:
                messages.warning(
                    self.request,
                    _("Регион «%(region)s» пропущен: %(reason)s")
                    % {
                        "region": result.region,
                        "reason": result.skipped_reason,
                    },
                )
        return redirect("wagtailadmin_explore", self.page.get_parent().pk)
