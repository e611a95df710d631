"""Схема OpenAPI API сотрудников (/api/admin/schema/) — отдельная от схемы витрины."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ADMIN_API_PREFIX = "/api/admin/v1/"

SCHEMA_SETTINGS = {
    "TITLE": "Megashop Staff API",
    "DESCRIPTION": (
        "API сотрудников магазина (/api/admin/v1/): сессия Django с CSRF (заголовок X-CSRFToken) "
        "или ключ API (Authorization: Api-Key …). Права — права Django через группы; ответы "
        "об ошибках — в едином формате {error: {code, message, fields}}."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/admin/v1",
    "PREPROCESSING_HOOKS": ["staffapi.schema.only_admin_endpoints"],
}


def only_admin_endpoints(endpoints):
    """Оставить в схеме только эндпоинты /api/admin/v1/."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(ADMIN_API_PREFIX)]


class StaffSessionScheme(OpenApiAuthenticationExtension):
    """Сессия Django: cookie sessionid, для изменений — заголовок X-CSRFToken."""

    target_class = "staffapi.authentication.StaffSessionAuthentication"
    name = "staffSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Ключ API: заголовок Authorization: Api-Key msk_<префикс>.<секрет>."""

    target_class = "staffapi.authentication.ApiKeyAuthentication"
    name = "staffApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Api-Key msk_<префикс>.<секрет>",
        }
