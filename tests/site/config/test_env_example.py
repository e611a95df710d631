"""Каждая переменная окружения, которую читают настройки, описана в .env.example."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = (ROOT / "site" / "config" / "settings.py").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")


def variables_read_by_settings():
    names = set(re.findall(r'env\.(?:str|bool|int|float|list|path|json|dict)\(\s*"([A-Z0-9_]+)"', SETTINGS))
    names |= set(re.findall(r'_require\("([A-Z0-9_]+)"\)', SETTINGS))
    return names


def test_settings_read_dozens_of_variables():
    assert len(variables_read_by_settings()) > 50


def test_every_variable_is_listed_in_env_example():
    missing = sorted(name for name in variables_read_by_settings() if not re.search(rf"\b{name}=", ENV_EXAMPLE))

    assert missing == [], f"Добавьте в .env.example с русским комментарием: {', '.join(missing)}"
