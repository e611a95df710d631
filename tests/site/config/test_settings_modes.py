"""Настройки в каждом режиме: development, production, переключатели DATABASE_URL и REDIS_URL.

Каждый режим проверяется в отдельном процессе: модуль настроек читается один раз
при старте Django, и только так видно, как он ведёт себя на «чистом» окружении.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "jwt_key_differs": settings.SIMPLE_JWT["SIGNING_KEY"] != settings.SECRET_KEY,
    "jwt_algorithm": settings.SIMPLE_JWT["ALGORITHM"],
    "ssl_redirect": getattr(settings, "SECURE_SSL_REDIRECT", False),
    "language": settings.LANGUAGE_CODE,
    "cors_origins": settings.CORS_ALLOWED_ORIGINS,
}))
"""
VARIABLES_UNDER_TEST = (
    "DJANGO_ENV",
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "JWT_SIGNING_KEY",
    "DEBUG",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "PYTEST_XDIST_WORKER",
)


def run_django(code_or_args, **env_overrides):
    """Запустить Python с нашим sys.path и данными переменными окружения."""
    env = {key: value for key, value in os.environ.items() if key not in VARIABLES_UNDER_TEST}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": f"{ROOT}:{ROOT / 'site'}"})
    env.update(env_overrides)
    args = [sys.executable, "-c", code_or_args] if isinstance(code_or_args, str) else [sys.executable, *code_or_args]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def production_env(**overrides):
    return {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "JWT_SIGNING_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "shop.example.ru,api.example.ru",
        **overrides,
    }


def probe(**env):
    result = run_django(PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_development_defaults_need_no_services():
    values = probe()

    assert values["debug"] is True
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["eager"] is True
    assert values["jwt_key_differs"] is True
    assert values["language"] == "ru"
    # Витрина разработчика на localhost:3000 сразу получает ответы API.
    assert values["cors_origins"] == ["http://localhost:3000", "http://127.0.0.1:3000"]


def test_database_and_redis_urls_switch_backends():
    values = probe(DATABASE_URL="postgres://user:pass@db.internal:5432/shop", REDIS_URL="redis://cache.internal:6379/0")

    assert values["engine"] == "django.db.backends.postgresql"
    assert values["cache"] == "django_redis.cache.RedisCache"
    assert values["eager"] is False
    assert values["broker"] == "redis://cache.internal:6379/0"


def test_production_settings_are_hardened():
    values = probe(**production_env())

    assert values["debug"] is False
    assert values["ssl_redirect"] is True
    assert values["jwt_key_differs"] is True
    assert values["jwt_algorithm"] == "HS256"
    assert values["cors_origins"] == []


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "JWT_SIGNING_KEY"])
def test_production_refuses_to_start_without_required_variable(missing):
    env = production_env()
    del env[missing]

    result = run_django(PROBE, **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_jwt_signing_key_must_differ_from_secret_key():
    key = secrets.token_urlsafe(64)

    result = run_django(PROBE, **production_env(SECRET_KEY=key, JWT_SIGNING_KEY=key))

    assert result.returncode != 0
    assert "JWT_SIGNING_KEY должен отличаться от SECRET_KEY" in result.stderr


def test_unknown_environment_name_is_rejected():
    result = run_django(PROBE, DJANGO_ENV="staging")

    assert result.returncode != 0
    assert "DJANGO_ENV='staging'" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_test_mode_gives_each_xdist_worker_its_own_redis_database():
    values_gw0 = run_django(
        "import django; from django.conf import settings; print(settings.REDIS_URL)",
        DJANGO_ENV="test",
        REDIS_URL="redis://127.0.0.1:6379/4",
        PYTEST_XDIST_WORKER="gw0",
    )
    values_gw1 = run_django(
        "import django; from django.conf import settings; print(settings.REDIS_URL)",
        DJANGO_ENV="test",
        REDIS_URL="redis://127.0.0.1:6379/4",
        PYTEST_XDIST_WORKER="gw1",
    )

    assert values_gw0.stdout.strip() == "redis://127.0.0.1:6379/5"
    assert values_gw1.stdout.strip() == "redis://127.0.0.1:6379/6"
