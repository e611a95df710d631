"""Проверить лицензии установленных пакетов и записать их таблицу в документацию.

Использование:
    python scripts/licenses.py --check           — CI: код 1, если лицензия вне политики
                                                   или таблица в документации устарела;
    python scripts/licenses.py --write FILE.md   — записать таблицу и проверить политику.

Политика — license-policy.toml в корне репозитория. Данные — pip-licenses того же Python.
"""

import argparse
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICY_PATH = ROOT / "license-policy.toml"
DOCS_TABLE_PATH = ROOT / "docs" / "sysadmin" / "licenses.md"
TABLE_HEADER = """# Лицензии зависимостей

Таблица создаётся командой `make licenses` и проверяется в CI (`make license-check`):
лицензия каждого пакета должна входить в список разрешённых в `license-policy.toml`
(пермиссивные, LGPL, MPL) или быть внесена туда исключением с причиной.

| Пакет | Версия | Лицензия |
|---|---|---|
"""


def installed_packages():
    """Вернуть список пакетов (имя, версия, лицензия) из pip-licenses."""
    output = subprocess.run(
        [sys.executable, "-m", "piplicenses", "--format=json", "--from=mixed"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    packages = [(item["Name"], item["Version"], item["License"]) for item in json.loads(output)]
    return sorted(packages, key=lambda item: item[0].lower())


def _split_top_level(text, separator_pattern):
    """Разбить текст по разделителю, не заходя внутрь скобок."""
    parts, depth, start = [], 0, 0
    for match in re.finditer(rf"[()]|{separator_pattern}", text):
        symbol = match.group(0)
        if symbol == "(":
            depth += 1
        elif symbol == ")":
            depth -= 1
        elif depth == 0:
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def _is_wrapped(text):
    """Охватывают ли внешние скобки всё выражение: «(A OR B)», но не «(A) AND (B)»."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index < len(text) - 1:
            return False
    return True


def license_allowed(license_text, allowed):
    """Разрешена ли лицензия: «A OR B» и «A; B» — хотя бы одна, «A AND B» — каждая (со скобками)."""
    text = license_text.strip()
    if text in allowed:
        return True
    alternatives = _split_top_level(text, r"\s+OR\s+|;")
    if len(alternatives) > 1:
        return any(license_allowed(part, allowed) for part in alternatives)
    conjuncts = _split_top_level(text, r"\s+AND\s+")
    if len(conjuncts) > 1:
        return all(license_allowed(part, allowed) for part in conjuncts)
    if _is_wrapped(text):
        return license_allowed(text[1:-1], allowed)
    return False


def violations(packages, policy):
    """Вернуть пакеты, чья лицензия не разрешена политикой и не внесена в исключения."""
    allowed = set(policy["allowed"])
    exceptions = policy.get("exceptions", {})
    return [
        (name, license_text)
        for name, _version, license_text in packages
        if name not in exceptions and not license_allowed(license_text, allowed)
    ]


def render_table(packages):
    """Сформировать Markdown-таблицу лицензий."""
    rows = [f"| {name} | {version} | {license_text} |" for name, version, license_text in packages]
    return TABLE_HEADER + "\n".join(rows) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="проверить политику и актуальность таблицы")
    parser.add_argument("--write", metavar="FILE", help="записать таблицу в FILE")
    args = parser.parse_args()

    policy = tomllib.loads(POLICY_PATH.read_text(encoding="utf-8"))
    packages = installed_packages()
    table = render_table(packages)
    failed = False

    for name, license_text in violations(packages, policy):
        print(f"ЛИЦЕНЗИЯ ЗАПРЕЩЕНА: {name} — «{license_text}» (license-policy.toml)")
        failed = True

    if args.write:
        Path(args.write).write_text(table, encoding="utf-8")
        print(f"Таблица лицензий записана: {args.write} ({len(packages)} пакетов)")
    elif args.check:
        current = DOCS_TABLE_PATH.read_text(encoding="utf-8") if DOCS_TABLE_PATH.exists() else ""
        if current != table:
            print(f"Таблица {DOCS_TABLE_PATH.relative_to(ROOT)} устарела: запустите `make licenses`.")
            failed = True

    if failed:
        return 1
    print(f"Лицензии в порядке: {len(packages)} пакетов.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
