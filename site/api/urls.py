"""URL всех API: /api/v1/ (магазин и аккаунты), /api/v2/ (контент), схема и документация."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.health.views import HealthApi
from api.wagtail_api import content_api_router

urlpatterns = [
    path("v1/", include("api.v1_urls")),
    path("v2/", content_api_router.urls),
    path("health/", HealthApi.as_view(), name="api-health"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
