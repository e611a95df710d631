"""Маршруты /api/v1/regions/."""

from django.urls import path, re_path

from regions.api.views import RegionChooseApi, RegionCurrentApi, RegionListApi

urlpatterns = [
    path("", RegionListApi.as_view(), name="regions-list"),
    re_path(r"^current/?$", RegionCurrentApi.as_view(), name="regions-current"),
    re_path(r"^choose/?$", RegionChooseApi.as_view(), name="regions-choose"),
]
