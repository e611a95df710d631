"""Представления API платежей: оплатить заказ, узнать статус, принять уведомление провайдера."""

import contextlib
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.orders import selectors as order_selectors
from commerce.orders.models import PaymentMethod
from commerce.orders.payment_methods import payment_methods_for_region
from commerce.payments import error_codes, exceptions, selectors, services
from commerce.payments.api.serializers import (
    PayInputSerializer,
    PaymentMethodOutputSerializer,
    PaymentOutputSerializer,
    SandboxOutcomeInputSerializer,
    WebhookOutputSerializer,
)
from commerce.payments.providers.registry import provider_get
from core.client_ip import client_ip_get
from core.pagination import PageNumberPagination, list_response
from core.schema import errors
from regions.error_codes import REGION_NOT_CONFIGURED
from regions.exceptions import RegionNotConfigured
from regions.selectors import region_for_request

ORDER_TOKEN_HEADER = OpenApiParameter(
    name="X-Order-Token",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Секретный токен заказа из ссылки отслеживания — для гостей без входа.",
)
ERRORS = errors(
    e404=["not_found"],
    e409=[error_codes.ORDER_NOT_PAYABLE, error_codes.PROVIDER_NOT_ENABLED, error_codes.PAYMENT_IN_PROGRESS],
    e502=[error_codes.PROVIDER_REJECTED],
    e503=[error_codes.PROVIDER_UNAVAILABLE],
)


def order_for_request(request, number):
    """Заказ по номеру для владельца (JWT) или для гостя с секретным токеном; иначе 404.

    Чужой заказ неотличим от несуществующего — номер заказа не раскрывает ничего.
    """
    order = None
    if request.user.is_authenticated:
        order = order_selectors.order_get_for_user(user=request.user, number=number)
    token = request.headers.get("X-Order-Token", "")
    if order is None and token:
        candidate = order_selectors.order_get_by_token(token=token)
        if candidate is not None and candidate.number == number:
            order = candidate
    if order is None:
        raise NotFound()
    return order


class OrderPayApi(APIView):
    """Начать оплату заказа; повтор возвращает тот же незавершённый платёж."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="order_pay",
        summary="Оплатить заказ",
        parameters=[ORDER_TOKEN_HEADER],
        request=PayInputSerializer,
        responses={200: PaymentOutputSerializer, **errors(e400=["validation_error"]), **ERRORS},
        tags=["payments"],
    )
    def post(self, request, number):
        order = order_for_request(request, number)
        data = PayInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = services.payment_start(
            order=order,
            return_url=data.validated_data["return_url"],
            provider_code=data.validated_data.get("provider") or None,
        )
        return Response(PaymentOutputSerializer(payment).data)


class OrderPaymentApi(APIView):
    """Статус последнего платежа заказа; незавершённый платёж сверяется с провайдером."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="order_payment_status",
        summary="Статус оплаты заказа",
        parameters=[ORDER_TOKEN_HEADER],
        responses={200: PaymentOutputSerializer, **errors(e404=["not_found", error_codes.PAYMENT_NOT_FOUND])},
        tags=["payments"],
    )
    def get(self, request, number):
        order = order_for_request(request, number)
        payment = selectors.payment_latest_for_order(order=order)
        if payment is None:
            raise exceptions.PaymentNotFound()
        stale_after = timedelta(seconds=settings.PAYMENTS_SYNC_INTERVAL_SECONDS)
        if payment.is_open and (
            payment.last_synced_at is None or timezone.now() - payment.last_synced_at > stale_after
        ):
            # Провайдер молчит — отдаём то, что знаем; уведомление догонит позже.
            with contextlib.suppress(exceptions.ProviderUnavailable):
                payment = services.payment_sync(payment=payment)
        return Response(PaymentOutputSerializer(payment).data)


class PaymentWebhookApi(APIView):
    """Уведомление провайдера. Верим только проверенному источнику и перечитанному состоянию."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        operation_id="payment_webhook",
        summary="Уведомление платёжного провайдера",
        request=OpenApiTypes.OBJECT,
        responses={
            200: WebhookOutputSerializer,
            **errors(
                e400=[error_codes.WEBHOOK_INVALID],
                e403=[error_codes.WEBHOOK_FORBIDDEN],
                e404=[error_codes.WEBHOOK_UNKNOWN_OBJECT],
                e429=[error_codes.WEBHOOK_THROTTLED],
                e503=[error_codes.PROVIDER_UNAVAILABLE],
            ),
        },
        tags=["payments"],
    )
    def post(self, request, provider):
        services.webhook_handle(provider_code=provider, body=request.body, client_ip=client_ip_get(request))
        return Response({"status": "ok"})


class SandboxPaymentApi(APIView):
    """Тестовый провайдер: изобразить оплату или отказ покупателя (для разработки и демо)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="payment_sandbox_outcome",
        summary="Тестовый провайдер: исход оплаты",
        request=SandboxOutcomeInputSerializer,
        responses={200: PaymentOutputSerializer, **errors(e404=[error_codes.PAYMENT_NOT_FOUND])},
        tags=["payments"],
    )
    def post(self, request, provider_payment_id):
        payment = selectors.payment_get_by_provider_id(provider="test", provider_payment_id=provider_payment_id)
        if payment is None or not settings.PAYMENTS_TEST_PROVIDER_ENABLED:
            raise exceptions.PaymentNotFound()
        data = SandboxOutcomeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = services.sandbox_payment_simulate(payment=payment, outcome=data.validated_data["outcome"])
        return Response(PaymentOutputSerializer(payment).data, status=status.HTTP_200_OK)


def _payment_method_dict(*, region_id, method):
    providers = [
        provider_get(code)
        for code in selectors.provider_codes_for_payment_method(region_id=region_id, payment_method=method)
    ]
    return {
        "code": method,
        "name": PaymentMethod(method).label,
        "requires_confirmed_phone": order_selectors.payment_method_requires_confirmed_phone(payment_method=method),
        "providers": [
            {
                "code": provider.code,
                "name": provider.name or provider.code,
                "options": [{"code": code, "name": name} for code, name in provider.methods],
            }
            for provider in providers
        ],
    }


class PaymentMethodListApi(APIView):
    """Способы оплаты, включённые в регионе запроса: показывайте покупателю только их."""

    authentication_classes = []
    permission_classes = []
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="payment_methods_list",
        summary="Способы оплаты региона",
        responses={200: PaymentMethodOutputSerializer(many=True), **errors(e404=["not_found", REGION_NOT_CONFIGURED])},
        description="Оформление с другим способом ответит 400 payment_method_not_enabled.",
        tags=["payments"],
    )
    def get(self, request):
        region = region_for_request(request=request)
        if region is None:
            raise RegionNotConfigured()
        methods = payment_methods_for_region(region_id=region.pk)
        response = list_response(
            request=request,
            items=methods,
            serialize=lambda page: (
                PaymentMethodOutputSerializer(
                    [_payment_method_dict(region_id=region.pk, method=method) for method in page], many=True
                ).data
            ),
        )
        response["X-Region"] = region.code
        return response
