"""Маршруты /api/v1/orders/."""

from django.urls import path

from commerce.orders.api import views

app_name = "orders"

urlpatterns = [
    path("", views.OrderListApi.as_view(), name="order-list"),
    path("track/", views.OrderTrackApi.as_view(), name="order-track"),
    path("track/<str:token>/", views.OrderTrackByTokenApi.as_view(), name="order-track-token"),
    path("<str:number>/", views.OrderDetailApi.as_view(), name="order-detail"),
    path("<str:number>/cancel/", views.OrderCancelApi.as_view(), name="order-cancel"),
]
