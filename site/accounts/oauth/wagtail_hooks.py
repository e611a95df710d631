"""Вход через соцсети в Wagtail admin: настройки провайдеров по регионам и адреса возврата.

Доступ — по правам моделей (accounts_oauth.*_oauthprovidersetting, *_oauthredirecturi),
которые по умолчанию есть только у роли «Администратор» (миграция staff 0003).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from accounts.oauth.forms import OAuthProviderSettingForm
from accounts.oauth.models import OAuthProviderSetting, OAuthRedirectUri


class OAuthProviderSettingViewSet(ModelViewSet):
    model = OAuthProviderSetting
    icon = "key"
    menu_label = _("Провайдеры входа")
    url_prefix = "oauth/providers"
    url_namespace = "wagtail_oauth_provider_setting"
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["provider", "region", "enabled", "client_id", "updated_at"]
    list_filter = ["provider", "enabled", "region"]

    def get_form_class(self, for_update=False):
        return OAuthProviderSettingForm

    def get_queryset(self, request):
        return OAuthProviderSetting.objects.select_related("region")


class OAuthRedirectUriViewSet(ModelViewSet):
    model = OAuthRedirectUri
    icon = "redirect"
    menu_label = _("Адреса возврата")
    url_prefix = "oauth/redirect-uris"
    url_namespace = "wagtail_oauth_redirect_uri"
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["uri", "region"]
    list_display = ["uri", "region"]
    list_filter = ["region"]
    search_fields = ["uri"]

    def get_queryset(self, request):
        return OAuthRedirectUri.objects.select_related("region")


class OAuthViewSetGroup(ModelViewSetGroup):
    menu_label = _("Вход через соцсети")
    menu_icon = "key"
    menu_order = 820
    items = (OAuthProviderSettingViewSet, OAuthRedirectUriViewSet)


@hooks.register("register_admin_viewset")
def register_oauth_viewsets():
    return OAuthViewSetGroup()
