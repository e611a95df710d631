"""Переменные окружения магазина из ответов установки (одно определение для native и docker)."""


def app_env(*, options, layout, secrets, mode):
    """Вернуть {переменная: значение}, которыми установщик управляет в файле окружения.

    Секреты берутся из secrets (envfile.secrets_ensure); остальное выводится из ответов, так что
    повторный запуск с теми же ответами даёт те же значения.
    """
    scheme = "http" if options.tls == "none" else "https"
    origin = f"{scheme}://{options.domain}"
    if mode == "docker":
        database_url = f"postgres://megashop:{secrets['POSTGRES_PASSWORD']}@postgres:5432/megashop"
        redis_url = "redis://redis:6379/0"
        # Прокси nginx в сети compose получает адрес из частных диапазонов Docker.
        proxies = "127.0.0.1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16"
        forwarded = "*"
        media, static = "/app/media", "/app/staticfiles"
    else:
        server = f"{options.db_host}:{options.db_port}"
        database_url = f"postgres://{layout.database}:{secrets['POSTGRES_PASSWORD']}@{server}/{layout.database}"
        redis_url = options.redis_url
        proxies = forwarded = "127.0.0.1"
        media, static = layout.media, layout.static
    values = {
        "DJANGO_ENV": "production",
        **{name: secrets[name] for name in ("SECRET_KEY", "JWT_SIGNING_KEY", "INTEGRATIONS_SECRET_KEY")},
        # 127.0.0.1 и localhost — для проверки здоровья с самого сервера (install.sh, Docker).
        "ALLOWED_HOSTS": f"{options.domain},127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": origin,
        "WAGTAILADMIN_BASE_URL": origin,
        "SECURE_SSL_REDIRECT": "false" if options.tls == "none" else "true",
        "POSTGRES_PASSWORD": secrets["POSTGRES_PASSWORD"],
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TRUSTED_PROXIES": proxies,
        "FORWARDED_ALLOW_IPS": forwarded,
        "MEDIA_ROOT": media,
        "STATIC_ROOT": static,
        "DJANGO_SUPERUSER_USERNAME": "admin",
        "DJANGO_SUPERUSER_EMAIL": options.admin_email,
        "DJANGO_SUPERUSER_PASSWORD": secrets["DJANGO_SUPERUSER_PASSWORD"],
        "MEGASHOP_ADMIN_PHONE": options.admin_phone,
        "DEFAULT_FROM_EMAIL": options.smtp_from,
    }
    if options.smtp_host:
        values |= {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": options.smtp_host,
            "EMAIL_PORT": str(options.smtp_port),
            "EMAIL_HOST_USER": options.smtp_user,
            "EMAIL_HOST_PASSWORD": options.smtp_password,
            "EMAIL_USE_TLS": "true" if options.smtp_port != 25 else "false",
        }
    else:
        # Без SMTP письма не теряются молча: они пишутся в журнал процесса.
        values["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    if options.sms == "prostor":
        values |= {
            "SMS_BACKEND": "integrations.sms.backends.prostor.ProstorSmsBackend",
            "SMS_PROSTOR_LOGIN": options.sms_login,
            "SMS_PROSTOR_PASSWORD": options.sms_password,
        }
    else:
        values["SMS_BACKEND"] = "integrations.sms.backends.console.ConsoleSmsBackend"
    return values
