"""Маршруты /api/v1/me/social-accounts/ (подключаются из accounts.api.me_urls)."""

from django.urls import path

from accounts.oauth.api import views

urlpatterns = [
    path("", views.SocialAccountListApi.as_view(), name="me-social-accounts"),
    path("<int:account_id>/", views.SocialAccountDetailApi.as_view(), name="me-social-account"),
    path("telegram/", views.TelegramLinkApi.as_view(), name="me-social-telegram-link"),
    path("<slug:provider>/start/", views.SocialAccountLinkStartApi.as_view(), name="me-social-link-start"),
    path("<slug:provider>/complete/", views.SocialAccountLinkCompleteApi.as_view(), name="me-social-link-complete"),
]
