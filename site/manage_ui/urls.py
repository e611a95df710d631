"""Маршруты /manage/: файлы сборки и index.html для всех остальных путей (маршрутизация SPA)."""

from django.urls import path, re_path

from manage_ui import views

app_name = "manage_ui"

urlpatterns = [
    path("assets/<path:name>", views.asset, name="asset"),
    re_path(r"^(?P<path>.*)$", views.index, name="index"),
]
