"""Проверка лицензий: разбор выражений и политика."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("licenses_script", ROOT / "scripts" / "licenses.py")
licenses = importlib.util.module_from_spec(spec)
spec.loader.exec_module(licenses)

ALLOWED = {"MIT", "Apache-2.0", "BSD License", "LGPL-3.0-only"}


@pytest.mark.parametrize(
    ("license_text", "expected"),
    [
        ("MIT", True),
        ("GPL-3.0-only", False),
        ("UNKNOWN", False),
        ("Apache-2.0 AND MIT", True),
        ("Apache-2.0 AND GPL-3.0-only", False),
        ("GPL-3.0-only OR MIT", True),
        ("(BSD License; GPL)", True),
        ("(Apache-2.0 AND (MIT OR GPL-2.0))", True),
        ("AGPL-3.0 OR GPL-3.0", False),
    ],
)
def test_license_expressions(license_text, expected):
    assert licenses.license_allowed(license_text, ALLOWED) is expected


def test_packages_outside_the_policy_are_reported_unless_excepted():
    packages = [("good", "1", "MIT"), ("bad", "1", "GPL-3.0-only"), ("excused", "1", "GPL-3.0-only")]
    policy = {"allowed": sorted(ALLOWED), "exceptions": {"excused": "причина"}}

    assert licenses.violations(packages, policy) == [("bad", "GPL-3.0-only")]


def test_installed_packages_pass_the_repository_policy():
    import tomllib

    policy = tomllib.loads((ROOT / "license-policy.toml").read_text(encoding="utf-8"))

    assert licenses.violations(licenses.installed_packages(), policy) == []
