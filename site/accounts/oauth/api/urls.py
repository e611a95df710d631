"""Маршруты входа через соцсети под /api/v1/auth/ (подключаются из accounts.api.urls)."""

from django.urls import path

from accounts.oauth.api import views

urlpatterns = [
    path("oauth/providers/", views.OAuthProvidersApi.as_view(), name="auth-oauth-providers"),
    path("oauth/<slug:provider>/start/", views.OAuthStartApi.as_view(), name="auth-oauth-start"),
    path("oauth/<slug:provider>/complete/", views.OAuthCompleteApi.as_view(), name="auth-oauth-complete"),
    path("telegram/complete/", views.TelegramCompleteApi.as_view(), name="auth-telegram-complete"),
]
