"""Маршруты /api/v1/checkout/ и /api/v1/checkout/payment-methods/."""

from django.urls import path

from commerce.orders.api import views

app_name = "checkout"

urlpatterns = [
    path("", views.CheckoutApi.as_view(), name="checkout"),
    path("payment-methods/", views.CheckoutPaymentMethodsApi.as_view(), name="checkout-payment-methods"),
]
