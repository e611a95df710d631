"""URL всех API: /api/v1/ (магазин и аккаунты), /api/v2/ (контент), схема и документация."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.health.views import HealthApi
from api.wagtail_api import content_api_router
from core.errors import API_NOT_FOUND_URL_NAME, api_path_not_found

urlpatterns = [
    path("v1/", include("api.v1_urls")),
    path("v2/", content_api_router.urls),
    path("health/", HealthApi.as_view(), name="api-health"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Последним: любой другой путь под /api/ — JSON 404 любым методом (см. api_path_not_found).
    re_path(r"^(?P<path>.*)$", api_path_not_found, name=API_NOT_FOUND_URL_NAME),
]
