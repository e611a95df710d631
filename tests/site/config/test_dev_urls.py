"""`make run` с HOST/PORT: абсолютные ссылки сервера и CORS для витрины разработки.

Настройки читаются один раз при старте Django, поэтому каждый случай — отдельный процесс
с чистым окружением (как у `make run`).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "admin": settings.WAGTAILADMIN_BASE_URL,
    "api": settings.WAGTAILAPI_BASE_URL,
    "payment": settings.PAYMENTS_TEST_CONFIRMATION_BASE_URL,
    "cors": settings.CORS_ALLOWED_ORIGINS,
}))
"""
# Переменные, которые влияют на проверяемые настройки: убираем их, чтобы окружение было чистым.
CLEARED = (
    "DJANGO_ENV",
    "DATABASE_URL",
    "REDIS_URL",
    "MEGASHOP_HOST",
    "MEGASHOP_PORT",
    "WAGTAILADMIN_BASE_URL",
    "WAGTAILAPI_BASE_URL",
    "PAYMENTS_TEST_CONFIRMATION_BASE_URL",
    "CORS_ALLOWED_ORIGINS",
    "PYTEST_XDIST_WORKER",
)


def _settings_with(**env_overrides):
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": f"{ROOT}:{ROOT / 'site'}"})
    env.update(env_overrides)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_host_and_port_of_make_run_reach_every_absolute_base_url():
    values = _settings_with(MEGASHOP_HOST="127.0.0.1", MEGASHOP_PORT="8123")

    assert values["admin"] == "http://127.0.0.1:8123"
    assert values["api"] == "http://127.0.0.1:8123"
    assert values["payment"] == "http://127.0.0.1:8123"


def test_explicit_base_url_wins_over_host_and_port():
    values = _settings_with(MEGASHOP_PORT="8123", WAGTAILADMIN_BASE_URL="https://shop.example.ru")

    assert values["admin"] == "https://shop.example.ru"
    assert values["payment"] == "https://shop.example.ru"


def test_development_storefront_on_port_3000_is_allowed_by_cors():
    values = _settings_with()

    assert set(values["cors"]) == {"http://localhost:3000", "http://127.0.0.1:3000"}


def test_make_exports_host_and_port_to_the_processes_it_starts():
    # given: цель-зонд печатает окружение, которое make передаёт командам (как seed и runserver)
    probe = "probe: ; @echo $$MEGASHOP_HOST:$$MEGASHOP_PORT"
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    # when
    result = subprocess.run(
        ["make", "-s", "--eval", probe, "probe", "HOST=0.0.0.0", "PORT=8123"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # then
    assert result.stdout.strip() == "0.0.0.0:8123", result.stderr
