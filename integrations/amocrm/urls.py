"""Маршруты /api/v1/crm/: заявки «перезвоните мне»."""

from django.urls import path

from integrations.amocrm.views import CrmRequestApi

urlpatterns = [
    path("requests/", CrmRequestApi.as_view(), name="crm-requests"),
]
