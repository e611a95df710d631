"""Форма подключения в Wagtail admin: секреты вводятся, но никогда не показываются обратно."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from integrations.core import registry
from integrations.core.models import Connection

SECRET_PREFIX = "secret__"  # noqa: S105 — префикс имени поля формы, не пароль


def _secret_fields():
    """Все секреты всех установленных систем: {имя поля формы: (система, имя секрета, подпись)}."""
    fields = {}
    for code, _name in registry.system_choices():
        system_class = type(registry.system_get(code))
        for name, label in system_class.secret_fields.items():
            fields[f"{SECRET_PREFIX}{code}__{name}"] = (code, name, label)
    return fields


class ConnectionForm(WagtailAdminModelForm):
    """Подключение: система из реестра, настройки по схеме системы, секреты только на запись.

    Поле секрета всегда пустое; подсказка «задан» говорит, что значение сохранено. Пустое
    поле при сохранении оставляет прежнее значение, флажок «стереть» — удаляет.
    """

    system = forms.ChoiceField(label=_("система"), choices=())
    base_url = forms.URLField(label=_("адрес API"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Connection
        fields = ["system", "code", "base_url", "options", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].choices = registry.system_choices()
        configured = self.instance.secret_names_set() if self.instance.pk and self.instance.secrets_encrypted else set()
        current_system = self.instance.system if self.instance.pk else None
        for field_name, (code, name, label) in _secret_fields().items():
            is_set = code == current_system and name in configured
            self.fields[field_name] = forms.CharField(
                label=f"{label} ({code})",
                required=False,
                strip=False,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                help_text=_("задан — оставьте пустым, чтобы не менять") if is_set else _("не задан"),
            )
            if is_set:
                self.fields[f"{field_name}__clear"] = forms.BooleanField(label=_("стереть"), required=False)

    def save(self, commit=True):
        connection = super().save(commit=False)
        changes = {}
        for field_name, (code, name, _label) in _secret_fields().items():
            if code != connection.system:
                continue
            if self.cleaned_data.get(f"{field_name}__clear"):
                changes[name] = None
            elif self.cleaned_data.get(field_name):
                changes[name] = self.cleaned_data[field_name]
        if changes:
            connection.secrets_update(changes)
        if commit:
            connection.save()
        return connection
