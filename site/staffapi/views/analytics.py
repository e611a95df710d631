"""Аналитика заказов и поиска за период и по регионам."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from regions.models import Region
from staffapi import analytics
from staffapi.exceptions import RegionNotAllowed
from staffapi.regions import region_allowed
from staffapi.serializers import analytics as s
from staffapi.views.base import StaffApiView

TAGS = ["analytics"]


def _period(request):
    serializer = s.PeriodSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    if data.get("region"):
        region = Region.objects.filter(code=data["region"]).first()
        if region is not None and not region_allowed(request, region.pk):
            raise RegionNotAllowed()
    return {"date_from": data["date_from"], "date_to": data["date_to"], "region_code": data.get("region")}


class OrderAnalyticsApi(StaffApiView):
    required_permissions = ["orders.view_order"]

    @extend_schema(
        tags=TAGS,
        summary="Заказы: число, выручка, средний чек по дням и регионам",
        parameters=[s.PeriodSerializer],
        responses={200: s.OrderStatsRowSerializer(many=True)},
    )
    def get(self, request):
        rows = analytics.order_stats(request=request, **_period(request))
        return Response(s.OrderStatsRowSerializer(rows, many=True).data)


class SearchAnalyticsApi(StaffApiView):
    required_permissions = ["search.view_search_analytics"]

    @extend_schema(
        tags=TAGS,
        summary="Поиск: поиски по дням, пустые выдачи, топ запросов, популярные товары и категории",
        parameters=[s.PeriodSerializer],
        responses={200: s.SearchStatsSerializer},
    )
    def get(self, request):
        return Response(s.SearchStatsSerializer(analytics.search_stats(request=request, **_period(request))).data)
