"""Общее у представлений API сотрудников: аутентификация, права, тег схемы."""

from rest_framework.views import APIView

from staffapi.authentication import ApiKeyAuthentication, StaffSessionAuthentication
from staffapi.permissions import StaffApiPermissions

AUTHENTICATION_CLASSES = [ApiKeyAuthentication, StaffSessionAuthentication]


class StaffApiMixin:
    """Сессия с CSRF или ключ API, права из required_permissions (без правила — отказ)."""

    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = [StaffApiPermissions]
    required_permissions = None


class StaffApiView(StaffApiMixin, APIView):
    """APIView API сотрудников."""
