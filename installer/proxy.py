"""Конфигурация nginx для native и docker из шаблонов deploy/nginx/."""

from installer.render import template_render

_STATIC_ALIAS = """
    location /static/ {
        alias @@STATIC_DIR@@/;
        expires 30d;
        add_header Cache-Control "public" always;
    }
"""


def nginx_config(*, options, web_address, media_dir, static_dir, acme_dir, cert, key):
    """Вернуть текст сайта nginx: HTTPS с сертификатом cert/key или только HTTP (--tls none).

    static_dir пуст — статику отдаёт само приложение (WhiteNoise), как в контейнере.
    """
    static = _STATIC_ALIAS.replace("@@STATIC_DIR@@", static_dir) if static_dir else ""
    locations = template_render(
        "nginx/locations.conf",
        media_dir=media_dir,
        static=static,
        upstream="megashop_web",
        forwarded_proto="$http_x_forwarded_proto" if options.tls == "none" else "$scheme",
    )
    common = {"upstream": "megashop_web", "web_address": web_address, "domain": options.domain}
    if options.tls == "none":
        return template_render("nginx/megashop-http.conf", locations=locations.rstrip("\n"), **common)
    note = "Let's Encrypt" if options.tls == "acme" else "собственный сертификат, --tls internal"
    return template_render(
        "nginx/megashop-tls.conf",
        locations=locations.rstrip("\n"),
        tls_note=note,
        acme_dir=acme_dir,
        cert=cert,
        key=key,
        **common,
    )


def self_signed_command(*, domain, cert, key):
    """Вернуть argv openssl для собственного сертификата домена на 10 лет."""
    return (
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "3650",
        "-subj",
        f"/CN={domain}",
        "-addext",
        f"subjectAltName=DNS:{domain}",
        "-keyout",
        key,
        "-out",
        cert,
    )
