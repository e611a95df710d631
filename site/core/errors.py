"""Единый формат ошибок API.

Каждая ошибка API — JSON вида::

    {"error": {"code": "validation_error",
               "message": "Проверьте введённые данные.",
               "fields": [{"path": "email", "code": "required", "message": "Обязательное поле."}]}}

``code`` — стабильный машинный код (на него опирается витрина), ``message`` — текст для
человека на языке запроса (по умолчанию русский), ``fields`` — ошибки полей с путём
в точечной записи (``lines.0.quantity``). Для не-API путей Django отдаёт обычные страницы.

Формат держится для любого пути под /api/ (v1, v2 Wagtail, схема): ошибки DRF переводит
api_exception_handler, ошибки Django — обработчики handler400/403/404/500 и csrf_failure,
а core.middleware.ApiErrorsMiddleware заменяет любую оставшуюся HTML-страницу ошибки
(страницы отладки DEBUG=1 в том числе) на JSON того же статуса.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import csrf, defaults
from django.views.decorators.csrf import csrf_exempt
from redis.exceptions import RedisError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback
from rest_framework_simplejwt.exceptions import InvalidToken

from core import exceptions as api_exceptions

API_PATH_PREFIX = "/api/"

# Стабильные коды для стандартных исключений DRF (default_code у них английские и короткие,
# но мы фиксируем соответствие явно, чтобы обновление DRF не поменяло контракт).
STANDARD_CODES = {
    exceptions.ValidationError: "validation_error",
    exceptions.ParseError: "parse_error",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    # Неверный или истёкший JWT в заголовке Authorization — тот же код, что у /auth/token/refresh/
    # (у simplejwt свой token_not_valid: один код на одно условие).
    InvalidToken: "token_invalid",
}


def _json_response(body, status):
    """JsonResponse с текстом в UTF-8, как у ответов DRF (а не с экранированием \\uXXXX)."""
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def error_body(*, code, message, fields=None):
    """Собрать тело ответа об ошибке в едином формате."""
    return {"error": {"code": code, "message": str(message), "fields": fields or []}}


def _flatten_field_errors(detail, path=""):
    """Развернуть вложенные ошибки сериализатора в плоский список с путями полей."""
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            child_path = path if key == "non_field_errors" else (f"{path}.{key}" if path else str(key))
            items.extend(_flatten_field_errors(value, child_path))
        return items
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):  # ErrorDetail — подкласс str
            return [_field_error(path, item) for item in detail]
        items = []
        for index, value in enumerate(detail):
            items.extend(_flatten_field_errors(value, f"{path}.{index}" if path else str(index)))
        return items
    return [_field_error(path, detail)]


def _field_error(path, detail):
    return {"path": path, "code": getattr(detail, "code", "invalid"), "message": str(detail)}


def _exception_code(exc):
    for exception_class, code in STANDARD_CODES.items():
        if type(exc) is exception_class:
            return code
    # Наши собственные исключения (подклассы APIException) несут код в default_code.
    return getattr(exc, "default_code", None) or "error"


def api_exception_for(exc):
    """Привести исключение Django или базы к исключению API; None — не наше (будет 500).

    DataError — значение не по меркам столбца (длиннее varchar, NUL в тексте PostgreSQL):
    это ошибка входных данных, а не сервера. Проверки в сериализаторах остаются первой
    линией, здесь — страховка для всех остальных мест.
    """
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, RequestDataTooBig):
        return api_exceptions.RequestTooLarge()
    if isinstance(exc, DataError):
        return api_exceptions.InvalidData()
    if isinstance(exc, RedisError):
        # Кэш глотает ошибки Redis сам (REDIS_CACHE_IGNORE_ERRORS); сюда доходят лимиты и блокировки.
        return api_exceptions.TemporarilyUnavailable()
    return None


def api_exception_handler(exc, context):
    """Обработчик исключений DRF: перевести любую ошибку API в единый формат."""
    # Исключения Django (Http404, PermissionDenied, DataError...) приводим к исключениям API
    # заранее, чтобы код и сообщение брались из одного места.
    exc = api_exception_for(exc) or exc
    response = exception_handler(exc, context)
    if response is None:
        # Неизвестное исключение: пусть Django отдаст 500 через server_error().
        return None
    code = _exception_code(exc)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten_field_errors(exc.detail)
        message = _("Проверьте введённые данные.")
        # Ошибка без поля (non_field_errors) — главный текст, если она единственная.
        if len(fields) == 1 and not fields[0]["path"]:
            message = fields[0]["message"]
            code = fields[0]["code"] if fields[0]["code"] != "invalid" else code
    elif isinstance(exc, InvalidToken):
        fields = []
        message = _("Токен недействителен или истёк: обновите его или войдите снова.")
    else:
        fields = []
        message = exc.detail if isinstance(exc.detail, str) else _("Ошибка запроса.")
    body = error_body(code=code, message=message, fields=fields)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["error"]["retry_after"] = int(exc.wait)
    response.data = body
    return response


def api_error_response(*, code, message, status_code, fields=None):
    """Ответ DRF с ошибкой в едином формате (для мест, где исключение неудобно)."""
    return Response(error_body(code=code, message=message, fields=fields), status=status_code)


def api_exception_response(exc):
    """JsonResponse в едином формате для исключения API (вне представлений DRF).

    Транзакция запроса, если она есть, помечается на откат — как это делает DRF.
    """
    set_rollback()
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(code=_exception_code(exc), message=_("Проверьте введённые данные."))
        body["error"]["fields"] = _flatten_field_errors(exc.detail)
    else:
        message = exc.detail if isinstance(exc.detail, str) else _("Ошибка запроса.")
        body = error_body(code=_exception_code(exc), message=message)
    response = _json_response(body, status=exc.status_code)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait))
    return response


def is_api_request(request):
    """Запрос к API (/api/... или /msk/api/... с подпапкой региона)? Для них ошибки — только JSON."""
    return request.path.startswith(API_PATH_PREFIX) or request.path_info.startswith(API_PATH_PREFIX)


# Код и сообщение для ответа-ошибки, про который известен только HTTP-статус
# (страница ошибки, нарисованная Django или сторонним кодом).
STATUS_ERRORS = {
    400: ("bad_request", gettext_lazy("Некорректный запрос.")),
    401: ("not_authenticated", gettext_lazy("Учётные данные не были предоставлены.")),
    403: ("permission_denied", gettext_lazy("У вас нет прав для выполнения этого действия.")),
    404: ("not_found", gettext_lazy("Страница не найдена.")),
    405: ("method_not_allowed", gettext_lazy("Метод не поддерживается.")),
    413: (api_exceptions.REQUEST_TOO_LARGE, gettext_lazy("Слишком большой запрос.")),
    429: ("throttled", gettext_lazy("Слишком много запросов. Повторите позже.")),
}


def status_error_response(status_code):
    """JsonResponse в едином формате по одному HTTP-статусу."""
    if status_code >= 500:
        code, message = "server_error", _("Внутренняя ошибка сервера. Мы уже разбираемся.")
    else:
        code, message = STATUS_ERRORS.get(status_code, ("error", _("Ошибка запроса.")))
    return _json_response(error_body(code=code, message=message), status=status_code)


def bad_request(request, exception=None):
    """handler400: JSON для путей API (слишком большое тело — 413), обычная страница для остальных."""
    if is_api_request(request):
        api_exception = api_exception_for(exception)
        if api_exception is not None:
            return api_exception_response(api_exception)
        return status_error_response(status.HTTP_400_BAD_REQUEST)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    """handler403: JSON для путей API, обычная страница для остальных."""
    if is_api_request(request):
        return status_error_response(status.HTTP_403_FORBIDDEN)
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: JSON с кодом csrf_failed для путей API, обычная страница для остальных."""
    if is_api_request(request):
        body = error_body(
            code=api_exceptions.CSRF_FAILED,
            message=_("Проверка CSRF не пройдена. Обновите страницу и повторите запрос."),
        )
        return _json_response(body, status=status.HTTP_403_FORBIDDEN)
    return csrf.csrf_failure(request, reason=reason)


def page_not_found(request, exception=None):
    """handler404: JSON для путей API, обычная страница для остальных."""
    if is_api_request(request):
        body = error_body(code="not_found", message=_("Страница не найдена."))
        return _json_response(body, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


API_NOT_FOUND_URL_NAME = "api-not-found"


@csrf_exempt
def api_path_not_found(request, path=""):
    """Последний маршрут под /api/: неизвестный путь любым методом — JSON 404.

    Без него POST на неизвестный путь уходил в маршруты страниц Wagtail и получал HTML-страницу
    отказа CSRF, а POST без косой черты при DEBUG — RuntimeError от APPEND_SLASH (500).
    GET и HEAD без завершающей косой черты по-прежнему перенаправляются на путь с ней,
    если такой маршрут есть (как делал APPEND_SLASH).
    """
    if request.method in ("GET", "HEAD") and not request.path_info.endswith("/"):
        try:
            match = resolve(f"{request.path_info}/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != API_NOT_FOUND_URL_NAME:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(f"{request.path}/" + (f"?{query}" if query else ""))
    return page_not_found(request)


def server_error(request):
    """handler500: JSON для путей API, обычная страница для остальных."""
    if is_api_request(request):
        body = error_body(code="server_error", message=_("Внутренняя ошибка сервера. Мы уже разбираемся."))
        return _json_response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    return defaults.server_error(request)
