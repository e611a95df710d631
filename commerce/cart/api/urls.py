"""Маршруты /api/v1/cart/."""

from django.urls import path

from commerce.cart.api import views

app_name = "cart"

urlpatterns = [
    path("", views.CartApi.as_view(), name="cart"),
    path("lines/", views.CartLinesApi.as_view(), name="cart-lines"),
    path("promo-code/", views.CartPromoCodeApi.as_view(), name="cart-promo-code"),
    path("lines/<int:variant_id>/", views.CartLineApi.as_view(), name="cart-line"),
]
