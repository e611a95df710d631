"""Общее у представлений API сотрудников: аутентификация, права, тег схемы."""

from rest_framework.views import APIView

from staffapi.authentication import ApiKeyAuthentication, StaffSessionAuthentication
from staffapi.permissions import StaffApiPermissions

AUTHENTICATION_CLASSES = [ApiKeyAuthentication, StaffSessionAuthentication]


class StaffAuthMixin:
    """Сессия с CSRF или ключ API и права API сотрудников; правило — у самого представления."""

    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = [StaffApiPermissions]


class StaffApiMixin(StaffAuthMixin):
    """StaffAuthMixin с правилом по умолчанию «никому»: представление обязано задать required_permissions."""

    required_permissions = None


class StaffApiView(StaffApiMixin, APIView):
    """APIView API сотрудников."""
