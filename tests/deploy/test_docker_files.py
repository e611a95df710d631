"""Dockerfile и docker-compose.yml: структура, которую можно проверить без движка Docker."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
APP_SERVICES = ("web", "worker", "beat", "migrate")


def test_compose_has_every_service_of_the_deployment():
    assert {"web", "worker", "beat", "postgres", "redis", "migrate"} <= set(COMPOSE["services"])


@pytest.mark.parametrize("service", ["web", "worker", "beat", "postgres", "redis"])
def test_long_running_services_have_health_checks(service):
    healthcheck = COMPOSE["services"][service]["healthcheck"]
    assert healthcheck["test"]
    assert healthcheck["interval"]


def test_data_lives_in_named_volumes():
    volumes = set(COMPOSE["volumes"])
    assert {"postgres-data", "redis-data", "media"} <= volumes
    assert "postgres-data:/var/lib/postgresql/data" in COMPOSE["services"]["postgres"]["volumes"]
    assert any(volume.startswith("media:") for volume in COMPOSE["services"]["web"]["volumes"])


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_app_services_wait_for_migrations_and_healthy_dependencies(service):
    depends_on = COMPOSE["services"][service]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["redis"]["condition"] == "service_healthy"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_run_in_production_mode_against_postgres_and_redis(service):
    environment = COMPOSE["services"][service]["environment"]
    assert environment["DJANGO_ENV"] == "production"
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["REDIS_URL"].startswith("redis://redis:")


def test_compose_has_no_hard_coded_secrets():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "SECRET_KEY:" not in text
    assert re.search(r"POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:\?", text)


def test_worker_and_beat_run_celery_from_the_site_folder():
    assert COMPOSE["services"]["worker"]["command"][:5] == ["celery", "--workdir", "site", "-A", "config"]
    assert "worker" in COMPOSE["services"]["worker"]["command"]
    assert "beat" in COMPOSE["services"]["beat"]["command"]


def test_dockerfile_is_multi_stage_slim_and_non_root():
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\w+))?", DOCKERFILE, flags=re.MULTILINE)
    assert len(stages) >= 2
    assert all("slim" in image for image, _name in stages)
    user_lines = re.findall(r"^USER\s+(\S+)", DOCKERFILE, flags=re.MULTILINE)
    assert user_lines and user_lines[-1] not in {"root", "0"}


def test_dockerfile_collects_static_at_build_and_serves_with_gunicorn():
    assert "manage.py collectstatic --no-input" in DOCKERFILE
    assert 'CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"]' in DOCKERFILE
    assert 'wsgi_app = "config.wsgi:application"' in (ROOT / "deploy" / "gunicorn.conf.py").read_text(encoding="utf-8")
    assert "HEALTHCHECK" in DOCKERFILE


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", ".env", "db.sqlite3"} <= set(ignored)


def test_image_carries_the_react_admin_built_in_a_node_stage():
    # Сборка /manage/ — в отдельной стадии Node.js; в итоговый образ попадает только admin-ui/dist.
    assert re.search(r"^FROM node:\S+ AS admin-ui$", DOCKERFILE, flags=re.M)
    assert "COPY --from=admin-ui --chown=megashop:megashop /build/admin-ui/dist /app/admin-ui/dist" in DOCKERFILE
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {"admin-ui/node_modules", "admin-ui/dist"} <= set(ignored)
