"""Короткий путь публичных анонимных GET каталога мимо middleware, которые им не нужны.

Запрос витрины к /api/v1/catalog/ без cookie и без Authorization не читает сессию, сообщения,
CSRF, пользователя и перенаправления Wagtail, а на весь список middleware уходило 0,8–1,05 мс
из 5–8 мс ответа (замер issue 31). Этот middleware стоит сразу за ApiErrorsMiddleware — всё, что
до него (безопасность, CORS, сессия — ленивая, язык, регион, формат ошибок API), работает как
обычно, — и для такого запроса сам находит представление и вызывает его; middleware после него
(CommonMiddleware, CSRF, аутентификация, сообщения, X-Frame-Options, CSP, перенаправления)
не вызываются. Что они добавили бы ответу JSON-каталога, делается здесь: Content-Length
(CommonMiddleware) и X-Frame-Options (ответ API в рамке не показывается).

Любой другой запрос (POST, cookie, токен, путь не каталога, путь без маршрута — ему нужен
APPEND_SLASH) идёт обычным путём. CATALOG_LEAN_PATH=false выключает короткий путь.
"""

from django.conf import settings
from django.urls import Resolver404, resolve

from core.db_routing import replica_reads_for
from core.errors import api_exception_for, api_exception_response

LEAN_PREFIX = "/api/v1/catalog/"


def _is_lean(request):
    return (
        request.method in ("GET", "HEAD")
        and request.path_info.startswith(LEAN_PREFIX)
        and not request.META.get("HTTP_COOKIE")
        and not request.META.get("HTTP_AUTHORIZATION")
    )


class CatalogLeanPathMiddleware:
    """Вызвать представление каталога сразу для публичного анонимного GET (см. модуль)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.CATALOG_LEAN_PATH

    def __call__(self, request):
        if not (self.enabled and _is_lean(request)):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        request.resolver_match = match
        try:
            # Чтение с реплики — как у ReplicaReadsMiddleware (его process_view здесь не вызывается).
            with replica_reads_for(request, match.func):
                response = match.func(request, *match.args, **match.kwargs)
        except Exception as error:
            # Как ApiErrorsMiddleware.process_exception: известная ошибка ввода — JSON 4xx.
            api_exception = api_exception_for(error)
            if api_exception is None:
                raise
            return api_exception_response(api_exception)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response
