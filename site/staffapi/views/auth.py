"""Вход и выход сотрудника (сессия Django, общая с Wagtail admin), CSRF-токен и me/."""

from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import limits
from accounts.admin_login import admin_login_key
from core.client_ip import client_ip_get
from regions.models import Region
from staffapi.authentication import StaffSessionAuthentication
from staffapi.models import ApiKey
from staffapi.permissions import staff_permission_codes
from staffapi.regions import staff_region_ids
from staffapi.serializers import auth as s
from staffapi.views.base import StaffApiView

TAGS = ["auth"]


def me_payload(request):
    """Собрать ответ me/: права и регионы так, как их проверяет сервер."""
    user = request.user
    region_ids = staff_region_ids(request)
    regions = Region.objects.order_by("sort_order", "code")
    if region_ids is not None:
        regions = regions.filter(pk__in=region_ids)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": staff_permission_codes(request),
        "all_regions": region_ids is None,
        "regions": [{"id": region.pk, "code": region.code, "name": region.name} for region in regions],
        "api_key": request.auth.name if isinstance(request.auth, ApiKey) else None,
    }


class CsrfApi(APIView):
    """Выдать CSRF-токен (и cookie csrftoken) до входа — для формы входа SPA."""

    authentication_classes = []
    permission_classes = []

    @extend_schema(tags=TAGS, summary="CSRF-токен", responses={200: s.CsrfSerializer}, auth=[])
    def get(self, request):
        return Response({"csrf_token": get_token(request)})


class LoginApi(APIView):
    """Войти по логину и паролю (как в /admin/): сессия Django; тот же лимит неудач, что у админок.

    CSRF проверяется и здесь (защита от навязанного входа). Войти может только активный
    сотрудник (is_staff); что он может — решают права его групп.
    """

    authentication_classes = []
    permission_classes = []

    def get_authenticate_header(self, request):
        # Без классов аутентификации DRF превратил бы 401 неверного пароля в 403.
        return StaffSessionAuthentication().authenticate_header(request)

    @extend_schema(
        tags=TAGS,
        summary="Вход сотрудника",
        request=s.LoginInputSerializer,
        responses={200: s.MeSerializer},
        auth=[],
        description=(
            "Ошибки: 401 authentication_failed (неверный логин или пароль, не сотрудник), 403 csrf_failed, "
            "429 login_throttled (Retry-After)."
        ),
    )
    def post(self, request):
        StaffSessionAuthentication().enforce_csrf(request)
        serializer = s.LoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"].strip()
        limits.login_allow(login_key=admin_login_key(username), ip_address=client_ip_get(request))
        user = authenticate(request._request, username=username, password=serializer.validated_data["password"])
        if user is None or not user.is_staff:
            raise AuthenticationFailed(_("Неверный логин или пароль."))
        login(request._request, user)
        request.user = user
        return Response(me_payload(request))


class LogoutApi(APIView):
    """Выйти: сессия закрывается (и в Wagtail admin тоже)."""

    authentication_classes = [StaffSessionAuthentication]
    permission_classes = []

    @extend_schema(tags=TAGS, summary="Выход", request=None, responses={204: None})
    def post(self, request):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(StaffApiView):
    """Текущий сотрудник: права и регионы — чтобы интерфейс прятал недоступное (сервер проверяет сам)."""

    # Свой профиль виден любому сотруднику: это не данные магазина.
    required_permissions = []

    @extend_schema(tags=TAGS, summary="Текущий сотрудник", responses={200: s.MeSerializer})
    def get(self, request):
        return Response(me_payload(request))
