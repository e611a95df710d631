"""Middleware регионов: регион запроса и язык из ?locale=."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework.exceptions import APIException

from core.errors import API_PATH_PREFIX, error_body
from regions.conf import setting
from regions.exceptions import LocaleUnknown
from regions.selectors import region_resolve


def _error_response(request, exc):
    """Ответить на ошибку до DRF: JSON в едином формате для API, простой текст для остального."""
    if request.path.startswith(API_PATH_PREFIX) or request.path_info.startswith(API_PATH_PREFIX):
        body = error_body(code=exc.get_codes(), message=exc.detail)
        return JsonResponse(body, status=exc.status_code)
    return HttpResponse(str(exc.detail), status=exc.status_code, content_type="text/plain; charset=utf-8")


class RegionMiddleware:
    """Поставить request.region и request.region_resolver по резолверам из REGIONS_RESOLVERS.

    Стоит до CommonMiddleware: резолвер подпапки снимает префикс /msk/ с пути раньше,
    чем кто-либо маршрутизирует запрос. Без SQL-запросов в тёплом состоянии (см. registry.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.region = None
        request.region_resolver = None
        request.region_is_guess = False
        request.region_path_prefix = ""
        try:
            resolution = region_resolve(request=request)
        except APIException as exc:
            return _error_response(request, exc)
        if resolution is not None:
            request.region = resolution.region
            request.region_resolver = resolution.resolver
            request.region_is_guess = resolution.is_guess
        response = self.get_response(request)
        # Ответ зависит от региона: кэши и CDN не должны отдать регион одного посетителя другому.
        patch_vary_headers(response, ("Cookie", setting("REGIONS_HEADER")))
        return response


class ContentLanguageMiddleware:
    """Включить язык из ?locale=ru|en поверх Accept-Language (его разбирает LocaleMiddleware).

    Стоит сразу после django.middleware.locale.LocaleMiddleware. Неизвестный язык — 400
    с кодом locale_unknown, а не молчаливый русский.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.GET.get("locale")
        if language:
            supported = {code for code, _name in settings.LANGUAGES}
            if language not in supported:
                return _error_response(request, LocaleUnknown(language))
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
