"""Маршруты /api/v1/: каждое приложение подключает здесь свои urls.py."""

from django.urls import include, path

from commerce.orders.api import delivery_urls
from commerce.payments.api import urls as payment_urls

urlpatterns = [
    path("auth/", include("accounts.api.urls")),
    path("regions/", include("regions.api.urls")),
    path("me/", include("accounts.api.me_urls")),
    path("catalog/", include("commerce.catalog.api.urls")),
    path("exchange/", include("commerce.exchange.api.urls")),
    path("cart/", include("commerce.cart.api.urls")),
    path("checkout/", include("commerce.orders.api.checkout_urls")),
    path("delivery/", include("commerce.orders.api.delivery_urls")),
    path("pickup-points/", include(delivery_urls.pickup_urlpatterns)),
    path("payment-methods/", include(payment_urls.payment_method_urlpatterns)),
    # Оплата заказа (/orders/{number}/pay) — до маршрутов заказов, чтобы не перекрыться ими.
    path("orders/", include(payment_urls.order_urlpatterns)),
    path("orders/", include("commerce.orders.api.urls")),
    path("payments/", include(payment_urls.payment_urlpatterns)),
    path("search/", include("commerce.search.api.urls")),
    # Заявки «перезвоните мне» для CRM (integrations.amocrm).
    path("crm/", include("integrations.amocrm.urls")),
]
