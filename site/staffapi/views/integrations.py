"""Интеграции для сотрудников: подключения и их состояние, журнал синхронизаций, застрявшие события и «Повторить»."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from integrations.core import selectors as integration_selectors
from integrations.core.models import Connection, SyncRun
from staffapi import services
from staffapi.pagination import StaffPagePagination
from staffapi.serializers import integrations as s
from staffapi.views.base import StaffApiMixin, StaffApiView

TAGS = ["integrations"]
VIEW_DELIVERY = "integrations_core.view_delivery"


def _connection_filter(request):
    """Подключение из ?connection=код или None; неизвестный код — 404."""
    filters = s.ConnectionFilterSerializer(data=request.query_params)
    filters.is_valid(raise_exception=True)
    code = filters.validated_data.get("connection")
    if not code:
        return None
    connection = Connection.objects.filter(code=code).first()
    if connection is None:
        raise NotFound(_("Подключение не найдено."))
    return connection


class ConnectionListApi(StaffApiView):
    """Все подключения с состоянием; их немного (по одному на внешнюю систему), поэтому без страниц."""

    required_permissions = ["integrations_core.view_connection"]

    @extend_schema(
        tags=TAGS, summary="Подключения и их состояние", responses={200: s.ConnectionHealthSerializer(many=True)}
    )
    def get(self, request):
        rows = integration_selectors.connection_health_list()
        return Response(s.ConnectionHealthSerializer(rows, many=True).data)


class SyncRunListApi(StaffApiMixin, ListAPIView):
    required_permissions = ["integrations_core.view_syncrun"]
    serializer_class = s.SyncRunSerializer
    pagination_class = StaffPagePagination
    filter_backends = []

    def get_queryset(self):
        queryset = SyncRun.objects.select_related("connection").order_by("-pk")
        connection = _connection_filter(self.request)
        return queryset.filter(connection=connection) if connection else queryset

    @extend_schema(tags=TAGS, summary="Журнал синхронизаций", parameters=[s.ConnectionFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class StuckDeliveryListApi(StaffApiMixin, ListAPIView):
    required_permissions = [VIEW_DELIVERY]
    serializer_class = s.StuckDeliverySerializer
    pagination_class = StaffPagePagination
    filter_backends = []

    def get_queryset(self):
        return integration_selectors.deliveries_stuck(connection=_connection_filter(self.request))

    @extend_schema(
        tags=TAGS,
        summary="Застрявшие события",
        parameters=[s.ConnectionFilterSerializer],
        description="Доставки с исчерпанными попытками или ждущие дольше четырёх проходов outbox.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class StuckDeliveryRetryApi(StaffApiView):
    required_permissions = [VIEW_DELIVERY, "integrations_core.change_delivery"]

    @extend_schema(
        tags=TAGS,
        summary="Повторить застрявшие события",
        request=s.RetryInputSerializer,
        responses={200: s.RetryResultSerializer},
        description="Перечисленные доставки (ids) или все застрявшие доставки подключения (connection) "
        "ставятся на отправку сейчас со сброшенным счётчиком попыток. 404 — нет подключения.",
    )
    def post(self, request):
        serializer = s.RetryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        connection = None
        if data.get("connection"):
            connection = Connection.objects.filter(code=data["connection"]).first()
            if connection is None:
                raise NotFound(_("Подключение не найдено."))
        retried = services.staff_deliveries_retry(request=request, ids=data.get("ids"), connection=connection)
        return Response({"retried": retried})
