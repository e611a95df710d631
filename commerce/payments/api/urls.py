"""Маршруты платежей: /api/v1/orders/{number}/pay, /payment, /api/v1/payments/... и /api/v1/payment-methods/."""

from django.urls import path

from commerce.payments.api.views import (
    OrderPayApi,
    OrderPaymentApi,
    PaymentMethodListApi,
    PaymentWebhookApi,
    SandboxPaymentApi,
)

order_urlpatterns = [
    path("<str:number>/pay", OrderPayApi.as_view(), name="order-pay"),
    path("<str:number>/payment", OrderPaymentApi.as_view(), name="order-payment"),
]

payment_urlpatterns = [
    path("webhooks/<slug:provider>/", PaymentWebhookApi.as_view(), name="payment-webhook"),
    path("test/<str:provider_payment_id>/", SandboxPaymentApi.as_view(), name="payment-sandbox"),
]

payment_method_urlpatterns = [
    path("", PaymentMethodListApi.as_view(), name="payment-methods"),
]
