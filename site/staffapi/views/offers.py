"""Сетка цен и остатков региона и пачка правок к ней."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from commerce.catalog.models import Category
from regions.models import Region
from staffapi import selectors, services
from staffapi.exceptions import RegionNotAllowed
from staffapi.pagination import StaffPagePagination
from staffapi.regions import region_allowed
from staffapi.serializers import offers as s
from staffapi.views.base import StaffApiView

TAGS = ["catalog"]
GRID_VIEW = ["catalog.view_variant", "pricing.view_variantprice", "inventory.view_stock"]


def _price(prices, price_list):
    if price_list is None:
        return None
    return next((row for row in prices if row.price_list_id == price_list.pk), None)


class OfferGridApi(StaffApiView):
    required_permissions = GRID_VIEW
    pagination_class = StaffPagePagination

    @extend_schema(
        tags=TAGS,
        summary="Сетка цен и остатков региона",
        parameters=[s.OfferGridFilterSerializer],
        responses={200: s.OfferGridPageSerializer},
        description=(
            "Постранично (?page=, ?page_size= до 200). 404 — нет региона или категории, 403 region_not_allowed."
        ),
    )
    def get(self, request):
        filters = s.OfferGridFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        region = Region.objects.filter(code=data["region"]).first()
        if region is None:
            raise NotFound(_("Регион не найден."))
        if not region_allowed(request, region.pk):
            raise RegionNotAllowed()
        category = None
        if data.get("category"):
            category = Category.objects.filter(slug=data["category"]).first()
            if category is None:
                raise NotFound(_("Категория не найдена."))
        queryset, region_list, base_list, warehouses = selectors.offer_grid(
            request=request, region=region, product_id=data.get("product"), category=category
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        rows = []
        for variant in page:
            region_price = _price(variant.grid_prices, region_list)
            base_price = _price(variant.grid_prices, base_list)
            stocks = {stock.warehouse_id: stock for stock in variant.grid_stocks}
            rows.append(
                {
                    "variant_id": variant.pk,
                    "sku": variant.sku,
                    "variant_name": variant.name,
                    "product_id": variant.product_id,
                    "product_name": variant.product.name,
                    "is_active": variant.is_active,
                    "currency": region.currency,
                    "region_price": region_price.price if region_price else None,
                    "region_old_price": region_price.old_price if region_price else None,
                    "base_price": base_price.price if base_price else None,
                    "base_old_price": base_price.old_price if base_price else None,
                    "stocks": [
                        {
                            "warehouse": warehouse.code,
                            "quantity": stocks[warehouse.pk].quantity if warehouse.pk in stocks else 0,
                            "reserved": stocks[warehouse.pk].reserved if warehouse.pk in stocks else 0,
                        }
                        for warehouse in warehouses
                    ],
                }
            )
        response = paginator.get_paginated_response(s.OfferRowSerializer(rows, many=True).data)
        # Коды прайс-листов и складов сетки — чтобы правка (offers/bulk/) знала, куда писать.
        response.data["price_list"] = region_list.code if region_list else None
        response.data["base_price_list"] = base_list.code if base_list else None
        response.data["warehouses"] = [warehouse.code for warehouse in warehouses]
        return response


class OfferBulkApi(StaffApiView):
    # Право на строку (цены или остатки) проверяет сервис; здесь — хотя бы одно из двух.
    required_permissions = {"PATCH": [("pricing.change_variantprice", "inventory.change_stock")]}

    @extend_schema(
        tags=TAGS,
        summary="Пачка правок цен и остатков",
        request=s.OfferBulkInputSerializer,
        responses={200: s.OfferBulkResultSerializer},
        description=(
            "Одна транзакция: всё или ничего. Ошибки — 400 validation_error с путями rows.N.поле. "
            "Предложения витрины и кэш пересчитываются один раз после записи."
        ),
    )
    def patch(self, request):
        serializer = s.OfferBulkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.staff_offers_bulk_update(request=request, rows=serializer.validated_data["rows"])
        return Response({"updated": updated})
