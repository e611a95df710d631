"""Форма категории для Wagtail admin: выбор родителя вместо полей treebeard (path, depth)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from commerce.catalog.models import Category


class CategoryAdminForm(WagtailAdminModelForm):
    """Создать категорию под выбранным родителем или перенести её туда при правке."""

    parent = forms.ModelChoiceField(
        queryset=Category.objects.order_by("path"),
        required=False,
        label=_("родительская категория"),
        help_text=_("Пусто — категория верхнего уровня."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].initial = self.instance.get_parent()
            # Нельзя сделать родителем саму категорию или её потомка.
            self.fields["parent"].queryset = Category.objects.exclude(path__startswith=self.instance.path).order_by(
                "path"
            )

    def save(self, commit=True):
        from commerce.catalog import services

        parent = self.cleaned_data.get("parent")
        instance = super().save(commit=False)
        if instance.pk is None:
            if parent is None:
                instance = Category.add_root(instance=instance)
            else:
                instance = Category.objects.get(pk=parent.pk).add_child(instance=instance)
        else:
            instance.save()
            current_parent = instance.get_parent(update=True)
            if parent != current_parent:
                if parent is None:
                    instance = services.category_move(
                        category=instance, target=Category.get_first_root_node(), position="last-sibling"
                    )
                else:
                    instance = services.category_move(category=instance, target=parent, position="last-child")
        self.save_m2m()
        return instance
