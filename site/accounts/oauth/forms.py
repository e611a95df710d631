"""Форма настройки провайдера входа в Wagtail admin: секрет вводится, но никогда не показывается обратно."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.oauth.models import OAuthProviderSetting, Provider

# Провайдеры, которым без секрета не обойтись (VK ID — публичное приложение с PKCE).
SECRET_REQUIRED = frozenset({Provider.YANDEX, Provider.SBER, Provider.TELEGRAM})


def _env_secret(provider):
    if provider == Provider.TELEGRAM:
        return settings.OAUTH_TELEGRAM_BOT_TOKEN
    return getattr(settings, f"OAUTH_{provider.upper()}_CLIENT_SECRET", "")


class OAuthProviderSettingForm(WagtailAdminModelForm):
    """Провайдер и регион, включение, client id, scope; секрет — только на запись.

    Пустое поле секрета при сохранении оставляет прежнее значение, флажок «стереть» удаляет
    его (тогда действует секрет из окружения, если он там есть).
    """

    client_secret = forms.CharField(
        label=_("секрет приложения"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    client_secret_clear = forms.BooleanField(label=_("стереть секрет"), required=False)

    class Meta:
        model = OAuthProviderSetting
        fields = ["provider", "region", "enabled", "client_id", "scope"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        is_set = bool(self.instance.pk and self.instance.secret_encrypted)
        self.fields["client_secret"].help_text = (
            _("задан — оставьте пустым, чтобы не менять")
            if is_set
            else _(
                "не задан: пусто — берётся из окружения (OAUTH_<ПРОВАЙДЕР>_CLIENT_SECRET); для Telegram — токен бота"
            )
        )
        if not is_set:
            del self.fields["client_secret_clear"]

    def clean(self):
        cleaned = super().clean()
        provider = cleaned.get("provider")
        if not cleaned.get("enabled") or provider not in SECRET_REQUIRED:
            return cleaned
        keeps_old = bool(self.instance.pk and self.instance.secret_encrypted) and not cleaned.get("client_secret_clear")
        secret = cleaned.get("client_secret") or (self.instance.client_secret if keeps_old else "")
        if not secret and not _env_secret(provider):
            self.add_error("client_secret", _("Включённому провайдеру нужен секрет: здесь или в окружении."))
        elif provider == Provider.TELEGRAM and secret and ":" not in secret:
            self.add_error("client_secret", _("Токен бота — вида 123456:ABC… (из @BotFather)."))
        return cleaned

    def save(self, commit=True):
        setting = super().save(commit=False)
        if self.cleaned_data.get("client_secret_clear"):
            setting.client_secret_set("")
        elif self.cleaned_data.get("client_secret"):
            setting.client_secret_set(self.cleaned_data["client_secret"])
        if commit:
            setting.save()
        return setting
