"""Настройка схемы OpenAPI (drf-spectacular): только API магазина и ошибки у каждой операции.

Формат ошибки один (core.errors): компонент ``ErrorResponse``. Операция перечисляет свои
коды через ``errors(e409=[...])``; общие ответы (400 неверный ввод, 401 неверный токен,
404 по пути с параметром, 429 при ограничении частоты) добавляет хук error_responses_add,
так что в схеме нет операции, у которой описаны только ответы 2xx.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ComponentRegistry
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.views import APIView

SHOP_API_PREFIXES = ("/api/v1/", "/api/health/")
ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}
VALIDATION = "validation_error"
# Коды ответов, общих для многих операций (core.errors.STANDARD_CODES).
COMMON_ERRORS = {
    400: [VALIDATION, "parse_error"],
    401: ["authentication_failed", "token_invalid"],
    404: ["not_found"],
    429: ["throttled"],
}


class ErrorFieldSerializer(serializers.Serializer):
    path = serializers.CharField(help_text="Поле в точечной записи (lines.0.quantity); пусто — ошибка запроса.")
    code = serializers.CharField(help_text="Машинный код ошибки поля.")
    message = serializers.CharField(help_text="Текст для человека.")


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Стабильный машинный код ошибки.")
    message = serializers.CharField(help_text="Текст для человека на языке запроса.")
    fields = ErrorFieldSerializer(many=True)
    retry_after = serializers.IntegerField(required=False, help_text="Для 429: через сколько секунд повторить.")


class ErrorResponseSerializer(serializers.Serializer):
    """Единый формат ошибки API."""

    error = ErrorBodySerializer()


def _codes_text(codes):
    return "Коды ошибок: " + ", ".join(f"`{code}`" for code in codes) + "."


def errors(**codes_by_status):
    """Собрать ответы-ошибки для extend_schema: ``errors(e400=[...], e429=[...])``."""
    return {
        int(key.removeprefix("e")): OpenApiResponse(ErrorResponseSerializer, description=_codes_text(codes))
        for key, codes in codes_by_status.items()
    }


def only_shop_api_endpoints(endpoints):
    """Оставить в схеме только API магазина.

    Wagtail API v2 (/api/v2/) описывается самим Wagtail и не является DRF-API в понимании
    drf-spectacular: его представления дали бы предупреждения при --fail-on-warn.
    """
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(SHOP_API_PREFIXES)]


def _throttled_operations(generator):
    throttled = set()
    for path, _regex, method, callback in getattr(generator, "endpoints", None) or []:
        view_class = getattr(callback, "cls", None)
        if view_class is not None and getattr(view_class, "throttle_classes", None):
            throttled.add((path, method.lower()))
    return throttled


def _error_components(generator):
    """Схемы ErrorResponse и вложенных в него компонентов, построенные из ErrorResponseSerializer.

    Нужны схеме, где ни одна операция не назвала errors(...) сама (схема API сотрудников):
    иначе ссылки ERROR_REF ведут в никуда и генераторы клиентов (openapi-typescript) падают.
    """
    schema = AutoSchema()
    schema.registry = ComponentRegistry()
    schema.method, schema.path = "GET", "/"
    schema.view = APIView()
    schema.view.request = None
    schema.resolve_serializer(ErrorResponseSerializer, "response")
    return {component.name: component.schema for component in schema.registry._components.values()}


def _error_content():
    return {"application/json": {"schema": ERROR_REF}}


def _common_statuses(path, operation, throttled):
    statuses = []
    has_query = any(parameter.get("in") == "query" for parameter in operation.get("parameters", []))
    if "requestBody" in operation or has_query:
        statuses.append(400)
    if any("jwtAuth" in requirement for requirement in operation.get("security", [])):
        statuses.append(401)
    if "{" in path:
        statuses.append(404)
    if throttled:
        statuses.append(429)
    return statuses


def error_responses_add(result, generator, **kwargs):
    """Добавить каждой операции /api/ ответы-ошибки в едином формате (хук POSTPROCESSING_HOOKS).

    Ответ-ошибка без тела (только описание) получает схему ErrorResponse; общие ответы
    добавляются, если операция не описала их сама. Операция без единого ответа 4xx получает
    400 — её ошибки ввода всё равно приходят в этом формате.
    """
    throttled = _throttled_operations(generator)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status_code, response in responses.items():
                if str(status_code).startswith(("4", "5")) and "content" not in response:
                    response["content"] = _error_content()
            statuses = _common_statuses(path, operation, (path, method) in throttled)
            if not any(str(code).startswith("4") for code in responses) and not statuses:
                statuses = [400]
            for status_code in statuses:
                responses.setdefault(
                    str(status_code),
                    {"description": _codes_text(COMMON_ERRORS[status_code]), "content": _error_content()},
                )
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorResponse" not in schemas:
        schemas.update(_error_components(generator))
    return result
