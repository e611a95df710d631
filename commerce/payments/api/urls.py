"""Маршруты платежей: /api/v1/orders/{number}/pay, /payment и /api/v1/payments/..."""

from django.urls import path

from commerce.payments.api.views import OrderPayApi, OrderPaymentApi, PaymentWebhookApi, SandboxPaymentApi

order_urlpatterns = [
    path("<str:number>/pay", OrderPayApi.as_view(), name="order-pay"),
    path("<str:number>/payment", OrderPaymentApi.as_view(), name="order-payment"),
]

payment_urlpatterns = [
    path("webhooks/<slug:provider>/", PaymentWebhookApi.as_view(), name="payment-webhook"),
    path("test/<str:provider_payment_id>/", SandboxPaymentApi.as_view(), name="payment-sandbox"),
]
