"""Страховка единого формата ошибок для всех путей /api/.

Что делает ApiErrorsMiddleware для запросов к /api/:

* до представления: отказывает с 413, если Content-Length больше DATA_UPLOAD_MAX_MEMORY_SIZE
  (кроме multipart — файлы ограничивает своя настройка приложения обмена), и с 400,
  если в пути, параметрах запроса или заголовках есть символ NUL (PostgreSQL его не примет,
  а дальше по коду он превратился бы в 500);
* исключение представления не из DRF (DataError, слишком большое тело) — JSON 4xx;
* любой ответ-ошибка не в JSON (страница CSRF, страницы отладки DEBUG=1, обработчики
  сторонних приложений) заменяется JSON того же статуса в едином формате.

Стоит внутри CorsMiddleware (заголовки CORS получают и ответы об ошибках), после LocaleMiddleware
(сообщения на языке запроса) и RegionMiddleware (путь /msk/api/... уже без подпапки региона).
"""

from django.conf import settings

from core.errors import api_exception_for, api_exception_response, is_api_request, status_error_response
from core.exceptions import NullCharacter, RequestTooLarge

# Заголовки исходного ответа, которые переносятся в JSON-ответ об ошибке.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")


def _has_null_character(request):
    if "\x00" in request.path_info:
        return True
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return True
    return any("\x00" in value for name, value in request.META.items() if name.startswith("HTTP_"))


def _body_too_large(request):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.content_type == "multipart/form-data":
        return False
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return False


class ApiErrorsMiddleware:
    """Гарантировать под /api/ только JSON-ошибки в едином формате и никогда 5xx за плохой ввод."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api_request(request):
            return self.get_response(request)
        if _body_too_large(request):
            return api_exception_response(RequestTooLarge())
        if _has_null_character(request):
            return api_exception_response(NullCharacter())
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            response = self._json_error(response)
        return response

    def process_exception(self, request, exception):
        if not is_api_request(request):
            return None
        api_exception = api_exception_for(exception)
        if api_exception is None:
            return None
        return api_exception_response(api_exception)

    @staticmethod
    def _json_error(response):
        data = getattr(response, "data", None)
        replacement = status_error_response(response.status_code)
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            # Ответ DRF, отрисованный не в JSON (BrowsableAPIRenderer при DEBUG): тело уже в формате.
            replacement = type(replacement)(
                data, status=response.status_code, json_dumps_params={"ensure_ascii": False}
            )
        for header in KEPT_HEADERS:
            if header in response:
                replacement[header] = response[header]
        return replacement
