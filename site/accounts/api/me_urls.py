"""Маршруты /api/v1/me/: профиль, адреса, согласия, смена контактов и пароля, удаление аккаунта."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from accounts.api import views

router = SimpleRouter()
router.register("addresses", views.AddressViewSet, basename="me-address")

urlpatterns = [
    path("", views.ProfileApi.as_view(), name="me-profile"),
    path("email/", views.EmailChangeRequestApi.as_view(), name="me-email-change"),
    path("email/confirm/", views.EmailChangeConfirmApi.as_view(), name="me-email-confirm"),
    path("phone/", views.PhoneChangeRequestApi.as_view(), name="me-phone-change"),
    path("phone/confirm/", views.PhoneChangeConfirmApi.as_view(), name="me-phone-confirm"),
    path("password/", views.PasswordChangeApi.as_view(), name="me-password"),
    path("consents/", views.ConsentsApi.as_view(), name="me-consents"),
    path("delete/", views.AccountDeleteApi.as_view(), name="me-delete"),
    path("delete/code/", views.AccountDeleteCodeApi.as_view(), name="me-delete-code"),
    path("social-accounts/", include("accounts.oauth.api.me_urls")),
    *router.urls,
]
