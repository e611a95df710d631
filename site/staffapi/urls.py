"""Маршруты /api/admin/v1/ (API сотрудников) и его схема /api/admin/schema/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from staffapi.schema import SCHEMA_SETTINGS
from staffapi.views import (
    analytics,
    api_keys,
    audit,
    auth,
    customers,
    exchange,
    integrations,
    offers,
    orders,
    products,
    stock,
)

v1_patterns = [
    path("auth/csrf/", auth.CsrfApi.as_view(), name="staffapi-csrf"),
    path("auth/login/", auth.LoginApi.as_view(), name="staffapi-login"),
    path("auth/logout/", auth.LogoutApi.as_view(), name="staffapi-logout"),
    path("me/", auth.MeApi.as_view(), name="staffapi-me"),
    path("orders/", orders.OrderListApi.as_view(), name="staffapi-orders"),
    path("orders/<str:number>/", orders.OrderDetailApi.as_view(), name="staffapi-order"),
    path("orders/<str:number>/transition/", orders.OrderTransitionApi.as_view(), name="staffapi-order-transition"),
    path("orders/<str:number>/contact/", orders.OrderContactApi.as_view(), name="staffapi-order-contact"),
    path("orders/<str:number>/notes/", orders.OrderNoteListApi.as_view(), name="staffapi-order-notes"),
    path("orders/<str:number>/refunds/", orders.OrderRefundApi.as_view(), name="staffapi-order-refunds"),
    path("products/", products.ProductListApi.as_view(), name="staffapi-products"),
    path("products/<int:pk>/", products.ProductDetailApi.as_view(), name="staffapi-product"),
    path("variants/<int:pk>/", products.VariantDetailApi.as_view(), name="staffapi-variant"),
    path("stock/low/", stock.LowStockApi.as_view(), name="staffapi-low-stock"),
    path("offers/", offers.OfferGridApi.as_view(), name="staffapi-offers"),
    path("offers/bulk/", offers.OfferBulkApi.as_view(), name="staffapi-offers-bulk"),
    path("imports/", exchange.ImportListApi.as_view(), name="staffapi-imports"),
    path("imports/<int:pk>/", exchange.ImportJobApi.as_view(), name="staffapi-import"),
    path("imports/<int:pk>/confirm/", exchange.ImportConfirmApi.as_view(), name="staffapi-import-confirm"),
    path("imports/<int:pk>/rejected/", exchange.ImportRejectedApi.as_view(), name="staffapi-import-rejected"),
    path("exports/", exchange.ExportListApi.as_view(), name="staffapi-exports"),
    path("exports/<int:pk>/", exchange.ExportJobApi.as_view(), name="staffapi-export"),
    path("exports/<int:pk>/download/", exchange.ExportDownloadApi.as_view(), name="staffapi-export-download"),
    path("customers/", customers.CustomerListApi.as_view(), name="staffapi-customers"),
    path("customers/<int:pk>/", customers.CustomerDetailApi.as_view(), name="staffapi-customer"),
    path("customers/<int:pk>/pii/", customers.CustomerPiiApi.as_view(), name="staffapi-customer-pii"),
    path("customers/<int:pk>/block/", customers.CustomerBlockApi.as_view(), name="staffapi-customer-block"),
    path("analytics/orders/", analytics.OrderAnalyticsApi.as_view(), name="staffapi-analytics-orders"),
    path("analytics/search/", analytics.SearchAnalyticsApi.as_view(), name="staffapi-analytics-search"),
    path("integrations/connections/", integrations.ConnectionListApi.as_view(), name="staffapi-connections"),
    path("integrations/runs/", integrations.SyncRunListApi.as_view(), name="staffapi-sync-runs"),
    path("integrations/stuck/", integrations.StuckDeliveryListApi.as_view(), name="staffapi-stuck"),
    path("integrations/stuck/retry/", integrations.StuckDeliveryRetryApi.as_view(), name="staffapi-stuck-retry"),
    path("api-keys/", api_keys.ApiKeyListApi.as_view(), name="staffapi-api-keys"),
    path("api-keys/<int:pk>/revoke/", api_keys.ApiKeyRevokeApi.as_view(), name="staffapi-api-key-revoke"),
    path("audit/", audit.StaffActionListApi.as_view(), name="staffapi-audit"),
]

# Подключается в config.urls как path("api/admin/", include("staffapi.urls")) — до path("api/", ...).
urlpatterns = [
    path("v1/", include(v1_patterns)),
    path("schema/", SpectacularAPIView.as_view(custom_settings=SCHEMA_SETTINGS), name="staffapi-schema"),
]
