"""Маршруты /api/v1/exchange/."""

from django.urls import path

from commerce.exchange.api import views

urlpatterns = [
    path("imports/", views.ImportUploadApi.as_view(), name="exchange-import-upload"),
    path("jobs/<int:pk>/", views.ImportJobApi.as_view(), name="exchange-job"),
    path("jobs/<int:pk>/confirm/", views.ImportConfirmApi.as_view(), name="exchange-job-confirm"),
    path("jobs/<int:pk>/rejected/", views.ImportRejectedApi.as_view(), name="exchange-job-rejected"),
    path("exports/", views.ExportCreateApi.as_view(), name="exchange-export-create"),
    path("exports/<int:pk>/", views.ExportJobApi.as_view(), name="exchange-export"),
    path("exports/<int:pk>/download/", views.ExportDownloadApi.as_view(), name="exchange-export-download"),
]
