"""Журнал действий сотрудников: чтение с фильтрами (курсор по времени)."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView

from staffapi.models import StaffAction
from staffapi.pagination import StaffCursorPagination
from staffapi.serializers import admin as s
from staffapi.views.base import StaffApiMixin


class StaffActionListApi(StaffApiMixin, ListAPIView):
    required_permissions = ["staffapi.view_staffaction"]
    serializer_class = s.StaffActionSerializer
    pagination_class = StaffCursorPagination
    filter_backends = []

    def get_queryset(self):
        filters = s.StaffActionFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        queryset = StaffAction.objects.select_related("actor", "api_key")
        for field in ("action", "object_type", "object_id"):
            if data.get(field):
                queryset = queryset.filter(**{field: data[field]})
        if data.get("actor"):
            queryset = queryset.filter(actor__username=data["actor"])
        return queryset.order_by("-created_at", "-id")

    @extend_schema(tags=["audit"], summary="Журнал действий сотрудников", parameters=[s.StaffActionFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
