"""Формы Wagtail admin каталога.

Категория — выбор родителя вместо полей treebeard (path, depth); вариант — цены и остатки по правам.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from commerce.catalog import services
from commerce.catalog.admin_lists import category_label
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


class ProductAdminForm(WagtailAdminModelForm):
    """Форма товара: дополнительные категории — деревом отметок с отступами, а не плоским списком."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["extra_categories"]
        field.queryset = Category.objects.order_by("path")
        field.label_from_instance = category_label
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        field.help_text = _("Отметьте категории, где товар показывается кроме основной.")
        self.fields["main_category"].queryset = Category.objects.order_by("path")
        self.fields["main_category"].label_from_instance = category_label


class VariantAdminForm(WagtailAdminModelForm):
    """Форма варианта: строки цен и остатков правит только тот, у кого есть права на них.

    Цены (VariantPrice) и остатки (Stock) — дочерние строки варианта (ParentalKey), и без этой
    формы право правки варианта (catalog.change_variant) давало бы менять и цены. Без права
    pricing.change_variantprice (inventory.change_stock) строки видны, но поля в них
    отключены (и отметка «удалить» тоже): Django берёт для отключённых полей исходные значения,
    а не присланные, так что поддельный POST (с новыми или удаляемыми строками) ничего не меняет.
    """

    RELATION_PERMISSIONS = {"prices": "pricing.change_variantprice", "stocks": "inventory.change_stock"}
    # Резерв ставит и снимает только оформление заказа (inventory.services): в форме он виден,
    # но не правится никем, даже суперпользователем — иначе «доступно» разошлось бы с заказами.
    READ_ONLY_FIELDS = {"stocks": ("reserved",)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        for relation, field_names in self.READ_ONLY_FIELDS.items():
            formset = self.formsets.get(relation)
            for form in [*formset.forms, formset.empty_form] if formset is not None else []:
                for name in field_names:
                    form.fields[name].disabled = True
        for relation, permission in self.RELATION_PERMISSIONS.items():
            formset = self.formsets.get(relation)
            if formset is None or (user is not None and user.has_perm(permission)):
                continue
            # Ключ строки (id) не отключается: браузер не присылает отключённые поля, а без id
            # formset не сопоставит строку с записью (KeyError → 500). Подменить id можно только
            # на другую строку этого же варианта, а её поля всё равно берутся из базы.
            pk_name = formset.model._meta.pk.name
            for form in [*formset.forms, formset.empty_form]:
                for name, field in form.fields.items():
                    if name != pk_name:
                        field.disabled = True

    def clean(self):
        cleaned = super().clean()
        user = self.for_user
        for relation, permission in self.RELATION_PERMISSIONS.items():
            formset = self.formsets.get(relation)
            if formset is None or (user is not None and user.has_perm(permission)):
                continue
            # Страховка на случай, если строку всё же признают изменённой: без права — ошибка формы.
            if any(form.has_changed() for form in formset.forms):
                raise forms.ValidationError(
                    _("Недостаточно прав, чтобы менять %(what)s.")
                    % {"what": _("цены") if relation == "prices" else _("остатки")}
                )
        return cleaned
