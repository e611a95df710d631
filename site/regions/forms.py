"""Формы админки регионов."""

from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class PageCopyToRegionsForm(forms.Form):
    """Выбор регионов, в которые скопировать страницу."""

    regions = forms.ModelMultipleChoiceField(
        label=_("Регионы"),
        queryset=Region.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Копии создаются черновиками на том же месте дерева региона."),
    )

    def __init__(self, *args, source_region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = Region.objects.filter(is_active=True).exclude(pk=source_region.pk)
