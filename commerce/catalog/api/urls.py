"""Маршруты /api/v1/catalog/."""

from django.urls import path

from commerce.catalog.api import views

app_name = "catalog"

urlpatterns = [
    path("categories/", views.CategoryTreeApi.as_view(), name="category-tree"),
    path("categories/<slug:slug>/", views.CategoryDetailApi.as_view(), name="category-detail"),
    path("products/", views.ProductListApi.as_view(), name="product-list"),
    path("products/facets/", views.ProductFacetsApi.as_view(), name="product-facets"),
    path("products/<slug:slug>/", views.ProductDetailApi.as_view(), name="product-detail"),
]
