"""Защита входа в HTML-админки (/admin/ Wagtail и /django-admin/) от перебора паролей.

Счётчики — те же, что у входа через API (accounts.limits): неудачи на аккаунт и на IP в окне
ACCOUNTS_LOGIN_WINDOW_SECONDS. Логин с «@» считается тем же аккаунтом, что вход по e-mail в API,
так что перебор нельзя разделить между API и админкой.

Гарантию даёт бэкенд аутентификации первым в AUTHENTICATION_BACKENDS: на закрытый аккаунт или
адрес он поднимает PermissionDenied, и ``authenticate()`` не проверяет пароль вовсе — верный пароль
после блокировки тоже не пускает. Формы входа обеих админок (LoginThrottleAuthenticationForm,
WagtailLoginThrottleForm) только объясняют отказ по-русски вместо «неверный логин или пароль».
"""

from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from accounts import limits
from accounts.exceptions import LoginThrottled
from core.client_ip import client_ip_get


def admin_login_key(username):
    """Ключ счётчика аккаунта для логина из формы админки (e-mail — как во входе через API)."""
    value = (username or "").strip().lower()
    return f"email:{value}" if "@" in value else f"username:{value}"


def _request_ip(request):
    return client_ip_get(request) if request is not None else None


class LoginThrottleBackend(BaseBackend):
    """Не пускать к проверке пароля, пока аккаунт или адрес закрыты лимитом неудач."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return None
        try:
            limits.login_allow(login_key=admin_login_key(username), ip_address=_request_ip(request))
        except LoginThrottled as error:
            raise PermissionDenied(str(error.detail)) from error
        return None

    def get_user(self, user_id):
        # Сессия, открытая через этот бэкенд (force_login берёт первый в списке), читает
        # пользователя так же, как ModelBackend.
        return ModelBackend().get_user(user_id)


THROTTLED_MESSAGE = _("Слишком много неудачных попыток входа. Попробуйте снова через %(minutes)d мин.")


class LoginThrottleFormMixin:
    """Объяснить закрытый лимитом вход, а не показывать его как опечатку в пароле."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is not None:
            try:
                limits.login_allow(login_key=admin_login_key(username), ip_address=_request_ip(self.request))
            except LoginThrottled as error:
                minutes = max(1, int(getattr(error, "wait", 60) or 60) // 60 + 1)
                raise ValidationError(THROTTLED_MESSAGE, code="login_throttled", params={"minutes": minutes}) from error
        return super().clean()


class LoginThrottleAuthenticationForm(LoginThrottleFormMixin, AuthenticationForm):
    """Форма входа Django admin (/django-admin/)."""


class WagtailLoginThrottleForm(LoginThrottleFormMixin, WagtailLoginForm):
    """Форма входа Wagtail admin (/admin/), WAGTAILADMIN_USER_LOGIN_FORM."""


@receiver(user_login_failed, dispatch_uid="accounts.admin_login.failure")
def _login_failure_count(sender, credentials, request=None, **kwargs):
    """Засчитать неудачу входа через authenticate() (обе HTML-админки) аккаунту и адресу."""
    username = credentials.get("username")
    if request is None or username is None:
        return
    limits.login_failure_register(login_key=admin_login_key(username), ip_address=_request_ip(request))


@receiver(user_logged_in, dispatch_uid="accounts.admin_login.success")
def _login_success_reset(sender, request, user, **kwargs):
    """Сбросить счётчик неудач аккаунта после успешного входа в админку."""
    if request is None:
        return
    for value in {user.get_username(), user.email}:
        if value:
            limits.login_success_register(login_key=admin_login_key(value))
