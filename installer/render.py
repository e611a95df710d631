"""Шаблоны конфигурации из deploy/: подстановка @@ИМЯ@@ без остатка."""

import re

from installer.layout import SOURCE_DIR
from installer.plan import InstallerError

DEPLOY_DIR = SOURCE_DIR / "deploy"
_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


def template_render(name, **values):
    """Вернуть шаблон deploy/<name> с подставленными значениями (ключи — без @@, в любом регистре).

    Raises:
        InstallerError: в шаблоне остался заполнитель, для которого нет значения.
    """
    text = (DEPLOY_DIR / name).read_text(encoding="utf-8")
    upper = {key.upper(): str(value) for key, value in values.items()}

    def replace(match):
        key = match.group(1)
        if key not in upper:
            raise InstallerError(f"Шаблон {name}: нет значения для @@{key}@@.")
        return upper[key]

    return _PLACEHOLDER.sub(replace, text)
