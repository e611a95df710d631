"""Маршруты /api/v1/search/."""

from django.urls import path

from commerce.search.api import views

app_name = "search"

urlpatterns = [
    path("", views.SearchApi.as_view(), name="search"),
    path("suggest/", views.SuggestApi.as_view(), name="suggest"),
    path("popular/", views.PopularQueriesApi.as_view(), name="popular"),
    path("events/", views.SearchEventApi.as_view(), name="events"),
]
