"""Единый формат ошибок API.

Каждая ошибка API — JSON вида::

    {"error": {"code": "validation_error",
               "message": "Проверьте введённые данные.",
               "fields": [{"path": "email", "code": "required", "message": "Обязательное поле."}]}}

``code`` — стабильный машинный код (на него опирается витрина), ``message`` — текст для
человека на языке запроса (по умолчанию русский), ``fields`` — ошибки полей с путём
в точечной записи (``lines.0.quantity``). Для не-API путей Django отдаёт обычные страницы.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

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
}


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


def api_exception_handler(exc, context):
    """Обработчик исключений DRF: перевести любую ошибку API в единый формат."""
    # Исключения Django (Http404, PermissionDenied) DRF отвечает как NotFound и PermissionDenied;
    # приводим их заранее, чтобы код и сообщение брались из одного места.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
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


def page_not_found(request, exception=None):
    """handler404: JSON для путей API, обычная страница для остальных."""
    if request.path.startswith(API_PATH_PREFIX):
        body = error_body(code="not_found", message=_("Страница не найдена."))
        return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: JSON для путей API, обычная страница для остальных."""
    if request.path.startswith(API_PATH_PREFIX):
        body = error_body(code="server_error", message=_("Внутренняя ошибка сервера. Мы уже разбираемся."))
        return JsonResponse(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    return defaults.server_error(request)
