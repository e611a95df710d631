"""Описание ошибок аккаунтов в схеме OpenAPI."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from accounts import error_codes


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


def errors(**codes_by_status):
    """Собрать ответы-ошибки для extend_schema: ``errors(e400=[...], e429=[...])``."""
    responses = {}
    for key, codes in codes_by_status.items():
        status_code = int(key.removeprefix("e"))
        listed = ", ".join(f"`{code}`" for code in codes)
        responses[status_code] = OpenApiResponse(ErrorResponseSerializer, description=f"Коды ошибок: {listed}.")
    return responses


VALIDATION = "validation_error"
NOT_AUTHENTICATED = ["not_authenticated", "authentication_failed"]
CODE_REQUEST_429 = [error_codes.CODE_RESEND_TOO_SOON, error_codes.CODE_REQUEST_LIMIT]
CODE_CONFIRM_400 = [VALIDATION, error_codes.CODE_INVALID, error_codes.CODE_ATTEMPTS_EXCEEDED]
