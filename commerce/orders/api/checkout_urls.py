"""Маршрут /api/v1/checkout/ (способы оплаты — /api/v1/payment-methods/ в commerce.payments.api)."""

from django.urls import path

from commerce.orders.api import views

app_name = "checkout"

urlpatterns = [
    path("", views.CheckoutApi.as_view(), name="checkout"),
]
