"""API оформления и заказов: /api/v1/checkout/ и /api/v1/orders/.

Чужой заказ неотличим от несуществующего (404): заказы ищутся только среди заказов
пользователя из JWT, а без входа — по паре «номер + телефон» или по секретному токену.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.cart import error_codes as cart_error_codes
from commerce.cart.api.views import CART_TOKEN_PARAMETER, request_cart, request_user
from commerce.orders import error_codes, idempotency, selectors, services
from commerce.orders.api import serializers as s
from commerce.orders.api.throttling import CheckoutIpRateThrottle, CheckoutPhoneRateThrottle
from commerce.orders.exceptions import CartEmpty
from commerce.orders.models import Order
from core.schema import errors
from core.throttling import ClientIpScopedRateThrottle

ORDERS_TAG = ["orders"]
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Необязательный, рекомендуется. Ключ попытки оформления (8–255 символов ASCII, например UUID): "
        "повтор с тем же ключом и телом вернёт тот же заказ; тот же ключ с другим телом — 422; "
        "пока первый запрос выполняется — 409. От двойного заказа защищает блокировка корзины, "
        "а не ключ: второе оформление той же корзины получит 409 cart_empty с любым ключом и без него."
    ),
)


def _order_not_found():
    return NotFound(_("Заказ не найден."))


class CheckoutApi(APIView):
    """Оформление заказа; потолки — ORDERS_CHECKOUT_RATE_IP и ORDERS_CHECKOUT_RATE_PHONE (429 throttled)."""

    throttle_classes = [CheckoutIpRateThrottle, CheckoutPhoneRateThrottle]

    @extend_schema(
        tags=ORDERS_TAG,
        summary="Оформить заказ из корзины",
        parameters=[CART_TOKEN_PARAMETER, IDEMPOTENCY_PARAMETER],
        request=s.CheckoutInputSerializer,
        responses={
            201: s.OrderOutputSerializer,
            **errors(
                e400=[
                    "validation_error",
                    error_codes.DELIVERY_METHOD_NOT_ENABLED,
                    error_codes.DELIVERY_CITY_NOT_SERVED,
                    error_codes.DELIVERY_ADDRESS_INCOMPLETE,
                    error_codes.PICKUP_POINT_NOT_FOUND,
                    error_codes.ADDRESS_NOT_FOUND,
                    error_codes.IDEMPOTENCY_KEY_INVALID,
                    error_codes.PAYMENT_METHOD_NOT_ENABLED,
                ],
                e403=[error_codes.PHONE_NOT_CONFIRMED],
                e404=[cart_error_codes.CART_NOT_FOUND],
                e409=[
                    error_codes.STOCK_INSUFFICIENT,
                    error_codes.CART_EMPTY,
                    error_codes.CART_HAS_PROBLEMS,
                    error_codes.CHECKOUT_CONFLICT,
                    error_codes.ORDER_TOTAL_CHANGED,
                    error_codes.IDEMPOTENCY_REQUEST_IN_PROGRESS,
                ],
                e422=[error_codes.IDEMPOTENCY_KEY_REUSED],
                e429=["throttled"],
            ),
        },
        description="Повтор с ответом 429 — после Retry-After секунд.",
    )
    def post(self, request):
        serializer = s.CheckoutInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cart, _merged, _changes = request_cart(request, create=False)
        if cart is None:
            raise CartEmpty()
        user = request_user(request)
        record = None
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is not None:
            scope = f"user:{user.pk}" if user is not None else f"cart:{cart.token}"
            record, replay = idempotency.idempotency_begin(
                scope=scope, key=key.strip(), fingerprint=idempotency.request_fingerprint(request.data)
            )
            if replay:
                return self._replay(record)
        try:
            placer = services.OrderPlacer(
                cart=cart,
                user=user,
                contact=services.Contact(
                    name=data["contact"]["name"], phone=str(data["contact"]["phone"]), email=data["contact"]["email"]
                ),
                delivery=services.Delivery(
                    method=data["delivery"]["method"],
                    warehouse_id=data["delivery"]["warehouse_id"],
                    address_id=data["delivery"]["address_id"],
                    address=data["delivery"]["address"] or {},
                ),
                payment_method=data["payment_method"],
                expected_total=data["expected_total"],
                comment=data["comment"],
                idempotency_record=record,
                # Ответ — из только что записанного заказа, в транзакции оформления: с ключом он
                # сохраняется той же командой, что привязывает заказ.
                respond=lambda order: s.OrderOutputSerializer(order).data,
            )
            placer.run()
        except BaseException:
            if record is not None:
                idempotency.idempotency_release(record=record)
            raise
        return Response(placer.response, status=status.HTTP_201_CREATED)

    @staticmethod
    def _replay(record):
        if record.response_body is not None:
            response = Response(record.response_body, status=record.response_status)
        else:
            # Заказ создан, а ответ сохранить не успели (процесс упал между шагами): собрать заново.
            response = Response(s.OrderOutputSerializer(_reloaded(record.order)).data, status=status.HTTP_201_CREATED)
        response["Idempotent-Replayed"] = "true"
        return response


def _reloaded(order):
    return selectors.order_get_by_token(token=order.token)


class OrderListApi(ListAPIView):
    """Заказы текущего пользователя, новые первыми."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.OrderOutputSerializer
    queryset = Order.objects.none()  # только для схемы OpenAPI

    @extend_schema(tags=ORDERS_TAG, summary="Мои заказы", responses=errors(e401=["not_authenticated", "token_invalid"]))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.order_list_for_user(user=self.request.user)


class OrderDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=ORDERS_TAG,
        summary="Мой заказ по номеру",
        responses={200: s.OrderOutputSerializer, **errors(e401=["not_authenticated", "token_invalid"])},
    )
    def get(self, request, number):
        order = selectors.order_get_for_user(user=request.user, number=number)
        if order is None:
            raise _order_not_found()
        return Response(s.OrderOutputSerializer(order).data)


class OrderCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=ORDERS_TAG,
        summary="Отменить мой заказ (до оплаты)",
        request=None,
        responses={
            200: s.OrderOutputSerializer,
            **errors(e401=["not_authenticated", "token_invalid"], e404=["not_found"]),
            **errors(e409=[error_codes.ORDER_NOT_CANCELLABLE]),
        },
    )
    def post(self, request, number):
        order = selectors.order_get_for_user(user=request.user, number=number)
        if order is None:
            raise _order_not_found()
        services.order_cancel_by_customer(order=order, user=request.user)
        return Response(s.OrderOutputSerializer(_reloaded(order)).data)


class OrderTrackApi(APIView):
    """Отслеживание без входа по номеру и телефону; потолок попыток с IP — ORDERS_TRACK_RATE."""

    authentication_classes = []
    permission_classes = []
    throttle_scope = "orders_track"

    throttle_classes = [ClientIpScopedRateThrottle]

    @extend_schema(
        tags=ORDERS_TAG,
        summary="Отследить заказ по номеру и телефону",
        parameters=[s.TrackQuerySerializer],
        responses={200: s.OrderPublicOutputSerializer},
    )
    def get(self, request):
        query = s.TrackQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        order = selectors.order_find_for_tracking(
            number=query.validated_data["number"], phone=query.validated_data["phone"]
        )
        if order is None:
            raise _order_not_found()
        return Response(s.OrderPublicOutputSerializer(order).data)


class OrderTrackByTokenApi(APIView):
    authentication_classes = []
    permission_classes = []

    @extend_schema(
        tags=ORDERS_TAG,
        operation_id="orders_track_by_token",
        summary="Отследить заказ по секретной ссылке",
        responses={200: s.OrderPublicOutputSerializer},
    )
    def get(self, request, token):
        order = selectors.order_get_by_token(token=token)
        if order is None:
            raise _order_not_found()
        return Response(s.OrderPublicOutputSerializer(order).data)
