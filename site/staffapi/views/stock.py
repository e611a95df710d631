"""«Мало на складе» для главной React-админки: то же правило, что у панели Wagtail admin."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from commerce.catalog.admin_low_stock import low_stock_variants
from staffapi.serializers import stock as s
from staffapi.views.base import StaffApiView


class LowStockApi(StaffApiView):
    required_permissions = ["catalog.view_variant", "inventory.view_stock"]

    @extend_schema(
        tags=["catalog"],
        summary="Мало на складе",
        responses={200: s.LowStockSerializer},
        description="Активные варианты с доступным остатком не выше порога, сначала самые пустые (первые 10).",
    )
    def get(self, request):
        threshold = settings.COMMERCE_LOW_STOCK_THRESHOLD
        total, rows = low_stock_variants(threshold=threshold)
        return Response(s.LowStockSerializer({"threshold": threshold, "total": total, "rows": rows}).data)
