"""Маршруты /api/v1/delivery/ и /api/v1/pickup-points/."""

from django.urls import path

from commerce.orders.api import delivery_views as views

app_name = "delivery"

urlpatterns = [
    path("methods/", views.DeliveryMethodListApi.as_view(), name="delivery-methods"),
    path("quote/", views.DeliveryQuoteApi.as_view(), name="delivery-quote"),
]

pickup_urlpatterns = [
    path("", views.PickupPointListApi.as_view(), name="pickup-points"),
]
