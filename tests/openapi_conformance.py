"""Проверка живых ответов API по схеме OpenAPI, которую отдаёт /api/schema/ (drf-spectacular).

Схема строже, чем в документе: у объектов со свойствами лишние поля запрещены
(additionalProperties: false), так что поле, которого нет в схеме, роняет тест так же,
как пропавшее обязательное поле или неверный тип. ``nullable`` OpenAPI 3.0 переводится
в JSON Schema (``type: null``).
"""

from functools import cache

import jsonschema
from drf_spectacular.generators import SchemaGenerator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "urn:megashop-openapi"


def _strict(node):
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _strict(value) for key, value in node.items() if key not in ("example", "readOnly", "writeOnly")}
    if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


@cache
def _document():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return _strict({"paths": schema["paths"], "components": schema["components"]})


def _registry():
    return Registry().with_resource(BASE, Resource(contents=_document(), specification=DRAFT202012))


def response_schema(*, path, method, status):
    """Вернуть JSON-схему ответа операции из схемы OpenAPI."""
    operation = _document()["paths"][path][method.lower()]
    return operation["responses"][str(status)]["content"]["application/json"]["schema"]


def assert_matches_schema(response, *, path, method="get"):
    """Проверить тело ответа по схеме его операции и статуса (AssertionError с путём поля)."""
    schema = response_schema(path=path, method=method, status=response.status_code)
    # Ссылки вида #/components/... ведут в документ BASE.
    validator = jsonschema.Draft202012Validator(
        {"$id": BASE + "/op", "allOf": [_rebased(schema)]}, registry=_registry()
    )
    errors = sorted(validator.iter_errors(response.json()), key=lambda error: list(error.absolute_path))
    assert not errors, "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors[:5])


def _rebased(node):
    if isinstance(node, list):
        return [_rebased(item) for item in node]
    if isinstance(node, dict):
        return {
            key: (BASE + value if key == "$ref" and value.startswith("#") else _rebased(value))
            for key, value in node.items()
        }
    return node
