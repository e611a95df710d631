"""Маршруты /api/v1/auth/: вход и регистрация по телефону и e-mail, токены, восстановление пароля."""

from django.urls import include, path

from accounts.api import views

urlpatterns = [
    path("phone/request-code/", views.PhoneCodeRequestApi.as_view(), name="auth-phone-request-code"),
    path("phone/confirm/", views.PhoneCodeConfirmApi.as_view(), name="auth-phone-confirm"),
    path("email/register/", views.EmailRegisterApi.as_view(), name="auth-email-register"),
    path("email/resend-code/", views.EmailCodeResendApi.as_view(), name="auth-email-resend-code"),
    path("email/confirm/", views.EmailConfirmApi.as_view(), name="auth-email-confirm"),
    path("login/", views.LoginApi.as_view(), name="auth-login"),
    path("logout/", views.LogoutApi.as_view(), name="auth-logout"),
    path("token/refresh/", views.TokenRefreshApi.as_view(), name="auth-token-refresh"),
    path("token/verify/", views.TokenVerifyApi.as_view(), name="auth-token-verify"),
    path("password/reset/request/", views.PasswordResetRequestApi.as_view(), name="auth-password-reset-request"),
    path("password/reset/confirm/", views.PasswordResetConfirmApi.as_view(), name="auth-password-reset-confirm"),
    # Вход через соцсети: /oauth/... и /telegram/complete/.
    path("", include("accounts.oauth.api.urls")),
]
