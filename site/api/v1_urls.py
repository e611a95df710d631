"""Маршруты /api/v1/: каждое приложение подключает здесь свои urls.py."""

from django.urls import include, path

urlpatterns = [
    path("auth/", include("accounts.api.urls")),
    path("regions/", include("regions.api.urls")),
    path("me/", include("accounts.api.me_urls")),
    path("catalog/", include("commerce.catalog.api.urls")),
    path("cart/", include("commerce.cart.api.urls")),
    path("checkout/", include("commerce.orders.api.checkout_urls")),
    path("orders/", include("commerce.orders.api.urls")),
    path("exchange/", include("commerce.exchange.api.urls")),
]
