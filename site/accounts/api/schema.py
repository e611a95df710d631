"""Коды ошибок аккаунтов для схемы OpenAPI; формат ошибки и errors() — общие (core.schema)."""

from accounts import error_codes
from core.schema import VALIDATION, ErrorResponseSerializer, errors  # noqa: F401 — общие для API

NOT_AUTHENTICATED = ["not_authenticated", "authentication_failed"]
CODE_REQUEST_429 = [error_codes.CODE_RESEND_TOO_SOON, error_codes.CODE_REQUEST_LIMIT]
CODE_CONFIRM_400 = [VALIDATION, error_codes.CODE_INVALID, error_codes.CODE_ATTEMPTS_EXCEEDED]
