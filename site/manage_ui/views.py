"""Раздача React-админки: index.html на любой путь /manage/… (маршруты SPA) и неизменяемые assets."""

import mimetypes

from django.http import FileResponse, Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from manage_ui.bundle import bundle_asset, bundle_index

# Файл с хешем в имени не меняется никогда: год и immutable (браузер не перепроверяет).
IMMUTABLE = {"public": True, "max_age": 31536000, "immutable": True}


@require_safe
def index(request, path=""):
    """Отдать index.html сборки (SPA сама разберёт путь) без кэша; без сборки — страница «как собрать»."""
    index_file = bundle_index()
    if index_file is None:
        response = HttpResponse(render_to_string("manage_ui/not_built.html", request=request), status=503)
    else:
        response = HttpResponse(index_file.read_bytes(), content_type="text/html; charset=utf-8")
    patch_cache_control(response, no_cache=True)
    return response


@require_safe
def asset(request, name):
    """Отдать файл assets/<name> сборки с кэшем навсегда; нет файла — 404 (не index.html)."""
    path = bundle_asset(name)
    if path is None:
        raise Http404(name)
    content_type, _encoding = mimetypes.guess_type(path.name)
    response = FileResponse(path.open("rb"), content_type=content_type or "application/octet-stream")
    patch_cache_control(response, **IMMUTABLE)
    return response
