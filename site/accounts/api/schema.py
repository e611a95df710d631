"""Коды ошибок аккаунтов для схемы OpenAPI; формат ошибки и errors() — общие (core.schema)."""

from drf_spectacular.utils import extend_schema

from accounts import error_codes
from core.schema import VALIDATION, ErrorResponseSerializer, errors  # noqa: F401 — общие для API

NOT_AUTHENTICATED = ["not_authenticated", "authentication_failed"]
CODE_REQUEST_429 = [error_codes.CODE_RESEND_TOO_SOON, error_codes.CODE_REQUEST_LIMIT]
CODE_CONFIRM_400 = [VALIDATION, error_codes.CODE_INVALID, error_codes.CODE_ATTEMPTS_EXCEEDED]


_UNSET = object()


def operation(tag, summary, *, ok, status=200, request=_UNSET, description=None, **errors_by_status):
    """Описание операции API аккаунтов для drf-spectacular — одна форма вместо повторов extend_schema.

    Args:
        tag: раздел схемы (``auth``, ``me``).
        summary: одна строка для списка операций.
        ok: сериализатор или OpenApiResponse успешного ответа; ``status`` — его код (200 по умолчанию).
        request: сериализатор тела запроса; ``None`` — у операции нет тела.
        description: подробности, если они нужны витрине.
        errors_by_status: коды ошибок по статусам, как у :func:`core.schema.errors` (``e409=[...]``).
    """
    options = {"tags": [tag], "summary": summary, "responses": {status: ok, **errors(**errors_by_status)}}
    if request is not _UNSET:
        options["request"] = request
    if description:
        options["description"] = description
    return extend_schema(**options)


def auth_operation(summary, **kwargs):
    """Операция входа и регистрации (раздел ``auth``)."""
    return operation("auth", summary, **kwargs)


def me_operation(summary, **kwargs):
    """Операция личного кабинета (раздел ``me``): без токена — 401, его коды добавляются сами."""
    kwargs.setdefault("e401", NOT_AUTHENTICATED)
    return operation("me", summary, **kwargs)
