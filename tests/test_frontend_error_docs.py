"""docs/frontend/errors.md перечисляет каждый код ошибки API витрины (тест падает на новом коде без описания)."""

import importlib
import re
from pathlib import Path

from django.conf import settings

from core import errors as api_errors
from core import exceptions as api_exceptions

DOC = Path(settings.BASE_DIR) / "docs" / "frontend" / "errors.md"
# Модули кодов витринного API (коды обмена таблицами — только для сотрудников, описаны в docs/backend).
MODULES = [
    "accounts.error_codes",
    "regions.error_codes",
    "commerce.catalog.error_codes",
    "commerce.search.error_codes",
    "commerce.cart.error_codes",
    "commerce.inventory.error_codes",
    "commerce.pricing.error_codes",
    "commerce.orders.error_codes",
    "commerce.payments.error_codes",
]


def _constants(module):
    return {value for name, value in vars(module).items() if name.isupper() and isinstance(value, str)}


def test_every_storefront_error_code_is_documented():
    codes = set()
    for name in MODULES:
        codes |= _constants(importlib.import_module(name))
    codes |= _constants(api_exceptions)
    codes |= set(api_errors.STANDARD_CODES.values())
    codes |= {code for code, _message in api_errors.STATUS_ERRORS.values()} | {"server_error"}
    documented = set(re.findall(r"`([a-z][a-z0-9_]*)`", DOC.read_text(encoding="utf-8")))
    assert sorted(codes - documented) == []
