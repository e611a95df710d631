"""План установки в Docker: .env, override с прокси nginx и TLS, docker compose up."""

import json

from installer.appenv import app_env
from installer.envfile import REDACTED, envfile_merge, envfile_parse, secrets_ensure
from installer.health import health_wait
from installer.options import saved_dump
from installer.plan import Call, MakeDir, Plan, Run, WriteFile
from installer.proxy import nginx_config, self_signed_command

PROXY_IMAGE = "nginx:1.27-alpine"


def compose_override(*, options):
    """Вернуть docker-compose.override.yml: сервис proxy (nginx) перед web.

    JSON — подмножество YAML, поэтому файл пишется без библиотеки YAML.
    """
    ports = ["80:80"] if options.tls == "none" else ["80:80", "443:443"]
    proxy = {
        "image": PROXY_IMAGE,
        "ports": ports,
        "volumes": [
            "./.megashop/nginx:/etc/nginx/conf.d:ro",
            "./.megashop/tls:/etc/megashop/tls:ro",
            "media:/var/lib/megashop/media:ro",
        ],
        "depends_on": {"web": {"condition": "service_healthy"}},
        "restart": "unless-stopped",
    }
    document = {"services": {"proxy": proxy}}
    header = "# Создан ./install.sh (режим docker): прокси nginx с TLS перед web. Правки затрутся.\n"
    return header + json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def docker_plan(*, options, source, existing_env, web_port=8000):
    """Построить план установки docker в каталоге исходников source.

    Returns:
        (план, {переменная: значение} файла .env, имена только что созданных секретов).
    """
    secrets, created = secrets_ensure(envfile_parse(existing_env))
    values = app_env(options=options, layout=None, secrets=secrets, mode="docker")
    values["WEB_PORT"] = str(web_port)
    env_text = envfile_merge(existing_env, values)
    project = str(source)
    tls = f"{project}/.megashop/tls"
    plan = Plan()
    plan.extend(
        [
            WriteFile(f"{project}/.env", env_text, 0o600, redact=REDACTED),
            WriteFile(f"{project}/.megashop/install.json", saved_dump(options), 0o644),
            MakeDir(tls, 0o755),
            WriteFile(
                f"{project}/.megashop/nginx/megashop.conf",
                nginx_config(
                    options=options,
                    web_address="web:8000",
                    media_dir="/var/lib/megashop/media",
                    static_dir="",
                    acme_dir="/var/lib/megashop/acme",
                    cert="/etc/megashop/tls/cert.pem",
                    key="/etc/megashop/tls/key.pem",
                ),
                0o644,
            ),
            WriteFile(f"{project}/docker-compose.override.yml", compose_override(options=options), 0o644),
        ]
    )
    if options.tls != "none":
        plan.add(
            Run(
                self_signed_command(domain=options.domain, cert=f"{tls}/cert.pem", key=f"{tls}/key.pem"),
                f"Создать собственный сертификат для {options.domain}",
                unless=("test", "-s", f"{tls}/cert.pem"),
            )
        )
    compose = ("docker", "compose", "--project-directory", project)
    plan.add(
        Run((*compose, "up", "-d", "--build", "--remove-orphans"), "Собрать образ и запустить контейнеры", counts=False)
    )
    if options.demo:
        plan.add(
            Run(
                (*compose, "run", "--rm", "web", "python", "manage.py", "seed_demo"),
                "Загрузить демо-данные",
                counts=False,
            )
        )
    plan.add(
        Call(
            health_wait,
            f"Дождаться ответа магазина на http://127.0.0.1:{web_port}/api/health/",
            (("url", f"http://127.0.0.1:{web_port}/api/health/"), ("seconds", 600)),
        )
    )
    return plan, envfile_parse(env_text), created
