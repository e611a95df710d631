"""Справочник доставки для витрины: /api/v1/delivery/ и /api/v1/pickup-points/.

Всё считается теми же функциями commerce.orders.delivery, что и оформление заказа: цена
доставки в расчёте и в заказе совпадает по построению, а не по договорённости.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from commerce.cart import error_codes as cart_error_codes
from commerce.cart import selectors as cart_selectors
from commerce.cart.api.views import CART_TOKEN_PARAMETER, request_cart, request_user
from commerce.orders import delivery, error_codes
from commerce.orders.api import delivery_serializers as s
from commerce.orders.delivery_models import DeliveryMethod
from commerce.orders.exceptions import AddressNotFound
from core.pagination import PageNumberPagination, list_response
from core.schema import errors
from regions.error_codes import REGION_NOT_CONFIGURED
from regions.exceptions import RegionNotConfigured
from regions.selectors import region_for_request

DELIVERY_TAG = ["delivery"]


def _region(request):
    region = region_for_request(request=request)
    if region is None:
        raise RegionNotConfigured()
    return region


def _method_dict(rule, currency):
    return {
        "method": rule.method,
        "method_display": str(DeliveryMethod(rule.method).label),
        "name": rule.name,
        "description": rule.description,
        "cost": rule.cost,
        "free_from": rule.free_from,
        "currency": currency,
        "cities": list(rule.cities),
        "min_days": rule.min_days,
        "max_days": rule.max_days,
        "requires_address": rule.method != DeliveryMethod.PICKUP,
        "requires_pickup_point": rule.method == DeliveryMethod.PICKUP,
    }


def _with_region_header(response, region):
    response["X-Region"] = region.code
    return response


class DeliveryMethodListApi(APIView):
    """Способы доставки региона запроса с ценой, порогом бесплатной доставки, городами и сроком."""

    authentication_classes = []
    permission_classes = []
    pagination_class = PageNumberPagination

    @extend_schema(
        tags=DELIVERY_TAG,
        operation_id="delivery_methods_list",
        summary="Способы доставки региона",
        responses={
            200: s.DeliveryMethodOutputSerializer(many=True),
            **errors(e404=["not_found", REGION_NOT_CONFIGURED]),
        },
        description="Оформление с другим способом ответит 400 delivery_method_not_enabled.",
    )
    def get(self, request):
        region = _region(request)
        rules = delivery.delivery_rules_for_region(region_id=region.pk)
        response = list_response(
            request=request,
            items=rules,
            serialize=lambda page: (
                s.DeliveryMethodOutputSerializer([_method_dict(rule, region.currency) for rule in page], many=True).data
            ),
        )
        return _with_region_header(response, region)


class DeliveryQuoteApi(APIView):
    """Стоимость доставки для корзины запроса и города — тем же расчётом, что при оформлении."""

    @extend_schema(
        tags=DELIVERY_TAG,
        operation_id="delivery_quote",
        summary="Рассчитать доставку для корзины",
        parameters=[CART_TOKEN_PARAMETER],
        request=s.DeliveryQuoteInputSerializer,
        responses={
            200: s.DeliveryQuoteOutputSerializer,
            **errors(
                e400=[
                    "validation_error",
                    error_codes.DELIVERY_METHOD_NOT_ENABLED,
                    error_codes.DELIVERY_CITY_NOT_SERVED,
                    error_codes.ADDRESS_NOT_FOUND,
                ],
                e404=[cart_error_codes.CART_NOT_FOUND, REGION_NOT_CONFIGURED],
            ),
        },
        description=(
            "total ответа — это expected_total оформления с тем же способом и адресом. "
            "Без корзины сумма товаров — 0.00."
        ),
    )
    def post(self, request):
        serializer = s.DeliveryQuoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        region = _region(request)
        city = data["city"]
        if data["address_id"] is not None:
            user = request_user(request)
            address = (
                account_selectors.address_list_for_user(user=user).filter(pk=data["address_id"]).first()
                if user is not None
                else None
            )
            if address is None:
                raise AddressNotFound()
            city = address.city
        cart, _merged, _changes = request_cart(request, create=False)
        view = cart_selectors.cart_view(cart=cart, region=region) if cart is not None else None
        quote = delivery.delivery_quote(
            region=region,
            method=data["method"],
            subtotal=view.total if view else 0,
            city=city,
            free_delivery=bool(view and view.free_delivery),
        )
        free_from = quote.rule.free_from
        body = {
            "method": quote.rule.method,
            "method_display": str(DeliveryMethod(quote.rule.method).label),
            "name": quote.rule.name,
            "subtotal": quote.subtotal,
            "delivery_cost": quote.cost,
            "total": quote.total,
            "currency": quote.currency,
            "free_from": free_from,
            "amount_to_free_delivery": max(free_from - quote.subtotal, 0) if free_from is not None else None,
            "min_days": quote.rule.min_days,
            "max_days": quote.rule.max_days,
            "cart_has_problems": bool(view and view.has_problems),
        }
        return _with_region_header(Response(s.DeliveryQuoteOutputSerializer(body).data), region)


class PickupPointListApi(APIView):
    """Пункты самовывоза региона; с корзиной — что из неё можно забрать в каждом пункте."""

    pagination_class = PageNumberPagination

    @extend_schema(
        tags=DELIVERY_TAG,
        operation_id="pickup_points_list",
        summary="Пункты самовывоза региона",
        parameters=[CART_TOKEN_PARAMETER],
        responses={
            200: s.PickupPointOutputSerializer(many=True),
            **errors(e404=["not_found", cart_error_codes.CART_NOT_FOUND, REGION_NOT_CONFIGURED]),
        },
        description="Оформление с другим складом ответит 400 pickup_point_not_found.",
    )
    def get(self, request):
        region = _region(request)
        points = delivery.pickup_points_for_region(region_id=region.pk)
        cart, _merged, _changes = request_cart(request, create=False)
        lines = cart_selectors.cart_lines(cart=cart) if cart is not None else []

        def serialize(page):
            stock = delivery.pickup_availability(
                warehouse_ids=[point.warehouse_id for point in page], variant_ids=[line.variant_id for line in lines]
            )
            rows = []
            for point in page:
                items = [
                    {
                        "variant_id": line.variant_id,
                        "sku": line.variant.sku,
                        "quantity": line.quantity,
                        "available": stock[point.warehouse_id].get(line.variant_id, 0),
                        "is_available": stock[point.warehouse_id].get(line.variant_id, 0) >= line.quantity,
                    }
                    for line in lines
                ]
                rows.append(
                    {
                        **point.__dict__,
                        "cart_items": items,
                        "all_items_available": bool(items) and all(item["is_available"] for item in items),
                    }
                )
            return s.PickupPointOutputSerializer(rows, many=True).data

        return _with_region_header(list_response(request=request, items=points, serialize=serialize), region)
