"""Настройки Megashop: один модуль, управляемый переменными окружения.

Все чтения окружения собраны здесь. Режим задаёт DJANGO_ENV:

* ``development`` (по умолчанию) — ничего настраивать не нужно: SQLite-файл, кэш в памяти
  процесса, задачи Celery выполняются сразу (eager);
* ``test`` — как development, но для pytest: быстрый хешер паролей, своя база Redis
  на каждый процесс pytest-xdist;
* ``production`` — без SECRET_KEY, ALLOWED_HOSTS и JWT_SIGNING_KEY не стартует;
  включены все защиты, которые проверяет ``manage.py check --deploy``.

DATABASE_URL переключает базу на PostgreSQL, REDIS_URL — кэш и брокер Celery на Redis.
Полный список переменных с пояснениями — в .env.example.
"""

import os
import re
from datetime import timedelta

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.dev_keys import development_fernet_key
from config.paths import BASE_DIR

env = environ.Env()
# Файл .env читается, только если он есть; переменные окружения процесса важнее.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

ENVIRONMENTS = ("development", "test", "production")
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(f"DJANGO_ENV={DJANGO_ENV!r} не поддерживается; допустимо: {', '.join(ENVIRONMENTS)}.")
IS_PRODUCTION = DJANGO_ENV == "production"
IS_TEST = DJANGO_ENV == "test"


def _require(name):
    """Прочитать обязательную в production переменную или остановить запуск с понятным текстом."""
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(
            f"В режиме production переменная окружения {name} обязательна "
            f"(см. .env.example и раздел «Системному администратору» документации)."
        )
    return value


# --- Безопасность и хосты -------------------------------------------------------------------

if IS_PRODUCTION:
    SECRET_KEY = _require("SECRET_KEY")
    ALLOWED_HOSTS = [host.strip() for host in _require("ALLOWED_HOSTS").split(",") if host.strip()]
    # JWT подписывается своим ключом: утечка одного ключа не раскрывает другой.
    JWT_SIGNING_KEY = _require("JWT_SIGNING_KEY")
    DEBUG = False
else:
    # Ключи разработки заведомо небезопасны и различны, чтобы JWT не зависел от SECRET_KEY.
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-dev-only-megashop-secret-key")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
    JWT_SIGNING_KEY = env.str("JWT_SIGNING_KEY", default="insecure-dev-only-megashop-jwt-signing-key")
    DEBUG = env.bool("DEBUG", default=not IS_TEST)

if JWT_SIGNING_KEY == SECRET_KEY:
    raise ImproperlyConfigured("JWT_SIGNING_KEY должен отличаться от SECRET_KEY.")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Адреса и сети обратных прокси, чьему X-Forwarded-For верим (core.client_ip): лимиты по IP,
# GeoIP и проверка источника уведомлений платёжных шлюзов смотрят на адрес клиента за ними.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

if IS_PRODUCTION:
    # За обратным прокси: схему запроса сообщает заголовок X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Проверка здоровья приходит от балансировщика и Docker по HTTP внутри сети.
    SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Приложения ------------------------------------------------------------------------------

INSTALLED_APPS = [
    # Наши приложения — первыми, чтобы их шаблоны и переводы имели приоритет.
    "config",
    "api",
    "accounts",
    "staff",
    # API сотрудников /api/admin/v1/ (issue #24).
    "staffapi",
    # React-админка /manage/ (issue #25): раздача собранного admin-ui/dist.
    "manage_ui",
    "regions",
    "commerce.catalog",
    "commerce.pricing",
    "commerce.promotions",
    "commerce.inventory",
    "commerce.exchange",
    "commerce.search",
    "commerce.cart",
    "commerce.orders",
    "commerce.payments",
    "blog",
    "integrations.sms",
    "integrations.core",
    "integrations.onec",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail_headless_preview",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    # Раздел пользователей Wagtail с поиском по телефону и флагами подтверждения.
    "accounts.wagtail_apps.MegashopUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    # API
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "import_export",
    "phonenumber_field",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "regions.middleware.ContentLanguageMiddleware",
    # До CommonMiddleware: резолвер подпапки снимает префикс /msk/ до маршрутизации.
    "regions.middleware.RegionMiddleware",
    # Под /api/ — только JSON-ошибки в едином формате (core.errors): внутри CORS (заголовки CORS
    # есть и у ошибок), после языка (сообщения на языке запроса) и подпапки региона (/msk/api/).
    "core.middleware.ApiErrorsMiddleware",
    # Публичный анонимный GET каталога — сразу в представление, мимо middleware ниже (их работа
    # ему не нужна; commerce.catalog.middleware). Middleware, нужный и таким ответам, — выше.
    "commerce.catalog.middleware.CatalogLeanPathMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy для /admin/ и /django-admin/ (config.csp).
    "config.csp.AdminContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

if IS_PRODUCTION:
    # Статика (админка, Swagger UI) раздаётся самим приложением из собранного STATIC_ROOT;
    # в разработке её раздаёт runserver.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- База данных -----------------------------------------------------------------------------

DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # Встроенный вариант по умолчанию для `make run`: файл SQLite, никаких сервисов.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.str("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3")),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Реплики PostgreSQL для чтения (core.db_routing, docs/sysadmin/scaling.md): адреса через запятую.
# Псевдонимы — replica, replica_2, …; на реплику идут только чтения помеченных представлений
# (@replica_reads) и только при отставании не больше DATABASE_REPLICA_MAX_LAG_SECONDS
# (измеряется не чаще раза в DATABASE_REPLICA_LAG_CHECK_SECONDS на процесс). Без адресов — как раньше.
DATABASE_REPLICA_URLS = env.list("DATABASE_REPLICA_URL", default=[]) if DATABASE_URL else []
DATABASE_REPLICA_MAX_LAG_SECONDS = env.float("DATABASE_REPLICA_MAX_LAG_SECONDS", default=5.0)
DATABASE_REPLICA_LAG_CHECK_SECONDS = env.float("DATABASE_REPLICA_LAG_CHECK_SECONDS", default=1.0)
DATABASE_REPLICA_ALIASES = []
for _index, _replica_url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _alias = "replica" if _index == 1 else f"replica_{_index}"
    DATABASES[_alias] = env.db_url_config(_replica_url)
    DATABASES[_alias]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES[_alias]["CONN_HEALTH_CHECKS"] = True
    # В тестах Django реплика — зеркало тестовой базы, а не отдельная база.
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICA_ALIASES.append(_alias)
if DATABASE_REPLICA_ALIASES:
    DATABASE_ROUTERS = ["core.db_routing.ReplicaRouter"]
    # Последним: включает реплику только на время самого представления.
    MIDDLEWARE.append("core.db_routing.ReplicaReadsMiddleware")

# --- Кэш и Celery ----------------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and IS_TEST:
    # Каждый процесс pytest-xdist получает свою базу Redis: cache.clear() в одном процессе
    # не стирает данные другого.
    # Номер базы = номер из URL + 1 + номер процесса xdist, так что параллельные прогоны
    # с разными REDIS_URL (/0, /4, /8) тоже не мешают друг другу.
    worker_index = int(re.sub(r"\D", "", os.environ.get("PYTEST_XDIST_WORKER", "")) or 0)
    url_database = re.search(r"/(\d+)$", REDIS_URL.rstrip("/"))
    database_number = (int(url_database.group(1)) if url_database else 0) + 1 + worker_index
    REDIS_URL = re.sub(r"(/\d+)?$", f"/{database_number % 16}", REDIS_URL.rstrip("/"), count=1)

# Таймауты Redis короткие: недоступный Redis должен давать быструю ошибку, а не зависание.
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=2.0)

# Redis по ролям (docs/sysadmin/scaling.md): кэш, брокер Celery, блокировки и лимиты частоты —
# каждый со своим адресом; незаданный берётся из REDIS_URL. REDIS_SENTINELS (host:port через
# запятую) включает Sentinel: тогда хост в адресах роли — имя группы Sentinel (redis://mymaster/0).
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default="") or REDIS_URL
REDIS_LOCKS_URL = env.str("REDIS_LOCKS_URL", default="") or REDIS_URL
REDIS_SENTINELS = [
    (host, int(port))
    for host, _colon, port in (item.rpartition(":") for item in env.list("REDIS_SENTINELS", default=[]))
]
REDIS_SENTINEL_MASTER = env.str("REDIS_SENTINEL_MASTER", default="mymaster")
# Ошибка Redis кэша — промах (чтение из базы), а не 500; по умолчанию — только при отдельном
# адресе кэша или Sentinel: лимиты и блокировки на том же Redis не должны молча пропускать всех.
REDIS_CACHE_IGNORE_ERRORS = env.bool(
    "REDIS_CACHE_IGNORE_ERRORS",
    default=bool(env.str("REDIS_CACHE_URL", default="") or REDIS_SENTINELS),
)


def _redis_cache(location, *, ignore_errors=False):
    options = {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_TIMEOUT,
        "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
    }
    if REDIS_SENTINELS:
        options["CLIENT_CLASS"] = "django_redis.client.SentinelClient"
        options["CONNECTION_FACTORY"] = "django_redis.pool.SentinelConnectionFactory"
        options["SENTINELS"] = REDIS_SENTINELS
        options["SENTINEL_KWARGS"] = {"socket_timeout": REDIS_SOCKET_TIMEOUT}
    if ignore_errors:
        options["IGNORE_EXCEPTIONS"] = True
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "megashop",
        "OPTIONS": options,
    }


if REDIS_CACHE_URL:
    CACHES = {
        "default": _redis_cache(REDIS_CACHE_URL, ignore_errors=REDIS_CACHE_IGNORE_ERRORS),
        # Лимиты частоты и блокировки (core.redis_roles.locks_cache): ошибки не глотаются.
        "locks": _redis_cache(REDIS_LOCKS_URL or REDIS_CACHE_URL),
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Тот же кэш процесса: без Redis роли не различаются.
    CACHES["locks"] = CACHES["default"]

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
if REDIS_SENTINELS and not env.str("CELERY_BROKER_URL", default=""):
    # Брокер через Sentinel: kombu перебирает sentinel:// адреса и спрашивает текущий primary.
    CELERY_BROKER_URL = ";".join(f"sentinel://{host}:{port}/0" for host, port in REDIS_SENTINELS)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
# Без брокера задачи выполняются сразу в процессе: `make run` не требует воркера.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
}
if CELERY_BROKER_URL.startswith("sentinel://"):
    CELERY_BROKER_TRANSPORT_OPTIONS["master_name"] = REDIS_SENTINEL_MASTER
CELERY_TIMEZONE = "Europe/Moscow"
CELERY_BEAT_SCHEDULE = {
    # Отложенная публикация и снятие страниц Wagtail (статьи блога, региональные страницы).
    "pages-publish-scheduled": {"task": "config.tasks.pages_publish_scheduled", "schedule": 60.0},
    # Истёкшие refresh-токены из чёрного списка JWT.
    "jwt-expired-tokens-flush": {"task": "config.tasks.jwt_expired_tokens_flush", "schedule": 60.0 * 60 * 24},
}

# --- Пользователи и пароли -------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if IS_TEST:
    # Тестам не нужна стойкость PBKDF2, а скорость нужна.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

PHONENUMBER_DEFAULT_REGION = "RU"
PHONENUMBER_DB_FORMAT = "E164"

# --- Язык и время ----------------------------------------------------------------------------

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Moscow"
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Статика и медиа -------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Медиа (оригиналы, рендишены Wagtail, файлы обмена) в S3-совместимом хранилище — Yandex Object
# Storage, VK Cloud, Selectel, MinIO — через django-storages: включается MEDIA_S3_BUCKET.
# MEDIA_S3_ENDPOINT_URL — адрес хранилища (https://storage.yandexcloud.net), ключи — из окружения.
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="ru-central1"),
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default=""),
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default=""),
            # Публичный адрес медиа (CDN или домен бакета); пусто — адрес из endpoint и бакета.
            "custom_domain": env.str("MEDIA_S3_CUSTOM_DOMAIN", default="") or None,
            # Картинки каталога публичны: подписанные ссылки ломали бы кэш CDN и ответы API.
            "querystring_auth": env.bool("MEDIA_S3_QUERYSTRING_AUTH", default=False),
            "default_acl": env.str("MEDIA_S3_DEFAULT_ACL", default="") or None,
            # Одинаковое имя — новый объект, а не перезапись чужого файла.
            "file_overwrite": False,
            "location": env.str("MEDIA_S3_PREFIX", default=""),
            "addressing_style": env.str("MEDIA_S3_ADDRESSING_STYLE", default="") or None,
        },
    }
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail ---------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = env.str("WAGTAIL_SITE_NAME", default="Megashop")
# Адрес самого бэкенда в абсолютных ссылках (письма, картинки API v2, ссылка тестовой оплаты).
# По умолчанию — из MEGASHOP_HOST и MEGASHOP_PORT: их задаёт `make run` (из HOST и PORT).
MEGASHOP_DEV_HOST = env.str("MEGASHOP_HOST", default="localhost")
MEGASHOP_DEV_PORT = env.int("MEGASHOP_PORT", default=8000)
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default=f"http://{MEGASHOP_DEV_HOST}:{MEGASHOP_DEV_PORT}")
# Бэкенд поиска (WAGTAILSEARCH_BACKENDS) задаётся в блоке «Поиск» ниже.
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILAPI_BASE_URL = env.str("WAGTAILAPI_BASE_URL", default=WAGTAILADMIN_BASE_URL)
WAGTAILAPI_LIMIT_MAX = 100
# Адрес витрины: HTML-адреса страниц Wagtail перенаправляются туда (бэкенд их не рисует);
# пусто — на /api/v2/pages/{id}/.
STOREFRONT_URL = env.str("STOREFRONT_URL", default="")
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {"default": env.str("HEADLESS_PREVIEW_URL", default="http://localhost:3000/preview")},
}

# --- API -------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Наш JSONParser: пределы глубины (API_JSON_MAX_DEPTH) и размера, без NUL (core.parsers).
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": 24,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {},
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SIMPLE_JWT = {
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SIGNING_KEY,
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=30)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Megashop API",
    "DESCRIPTION": "API магазина и аккаунтов Megashop (/api/v1/). Контент — Wagtail API v2 (/api/v2/).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["core.schema.only_shop_api_endpoints"],
    # Ответы-ошибки (формат core.errors) у каждой операции; перечисления — как по умолчанию.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.schema.error_responses_add"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Несколько наборов статусов называются полем status: даём каждому своё имя в схеме.
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "commerce.orders.status.OrderStatus",
        "PaymentStatusEnum": "commerce.payments.models.PaymentStatus",
        "ImportStatusEnum": "commerce.exchange.models.ImportStatus",
        "ExportStatusEnum": "commerce.exchange.models.ExportStatus",
        "ServiceStatusEnum": ["ok", "down", "disabled"],
        "HealthStatusEnum": ["ok", "down"],
        # Интеграции в API сотрудников (staffapi.serializers.integrations).
        "SyncStateEnum": "integrations.core.models.SyncState",
        "DeliveryStateEnum": "integrations.core.models.DeliveryState",
        "ConnectionStateEnum": ["ok", "errors", "stuck"],
    },
}

# --- Ошибки API и пределы ввода (core.errors, core.middleware, core.parsers) ---
# Глубина вложенности JSON в теле запроса API: глубже — 400 json_too_deep (а не RecursionError).
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)
# Отказ CSRF под /api/ — JSON csrf_failed, для остальных путей — обычная страница Django.
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

# В разработке (`make run`) витрина обычно на localhost:3000 (Next.js, Vite): её origin открыт сразу.
CORS_ALLOWED_ORIGINS = env.list(
    "CORS_ALLOWED_ORIGINS",
    default=["http://localhost:3000", "http://127.0.0.1:3000"] if DJANGO_ENV == "development" else [],
)
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "accept-language",
    "idempotency-key",
    "x-cart-token",
    "x-order-token",
    "x-region",
)
# Заголовки ответа, которые скрипт витрины с другого домена может прочитать.
CORS_EXPOSE_HEADERS = ["Retry-After", "Idempotent-Replayed", "X-Region"]

# --- Content-Security-Policy админок (config.csp) ---
# Источники сверх своего сервера: медиа на S3 (MEDIA_URL с хостом), витрина в окне предпросмотра.
_csp_origin = re.compile(r"^(https?://[^/]+)")
_csp_media = [match.group(1) for match in [_csp_origin.match(MEDIA_URL)] if match]
_csp_preview = [
    match.group(1)
    for match in (_csp_origin.match(url) for url in WAGTAIL_HEADLESS_PREVIEW["CLIENT_URLS"].values())
    if match
]
ADMIN_CSP_PATH_PREFIXES = ["/admin/", "/django-admin/"]
# Готовая политика целиком (пусто — собрать по умолчанию ниже); Report-Only — только сообщать.
ADMIN_CONTENT_SECURITY_POLICY = env.str("ADMIN_CONTENT_SECURITY_POLICY", default="") or "; ".join(
    [
        "default-src 'self'",
        # Встроенные скрипты и стили Wagtail (InlinePanel, виджеты дат) без nonce — см. config.csp.
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        " ".join(["img-src 'self' data: blob: https://www.gravatar.com", *_csp_media]),
        " ".join(["media-src 'self'", *_csp_media]),
        "font-src 'self' data:",
        # Проверка обновлений Wagtail на панели управления.
        "connect-src 'self' https://releases.wagtail.org",
        " ".join(["frame-src 'self'", *_csp_preview]),
        "frame-ancestors 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
ADMIN_CSP_REPORT_ONLY = env.bool("ADMIN_CSP_REPORT_ONLY", default=False)

# --- Почта -----------------------------------------------------------------------------------

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Megashop <noreply@localhost>")

# --- Аккаунты и SMS -------------------------------------------------------------------------

# SMS-шлюз: путь к классу-наследнику core.sms.SmsBackend. По умолчанию — печать SMS
# в журнал; настоящий шлюз включается явно (prostor без учётных данных не даст запуститься).
SMS_BACKEND = env.str("SMS_BACKEND", default="integrations.sms.backends.console.ConsoleSmsBackend")
SMS_PROSTOR_URL = env.str("SMS_PROSTOR_URL", default="https://api.prostor-sms.ru")
SMS_PROSTOR_LOGIN = env.str("SMS_PROSTOR_LOGIN", default="")
SMS_PROSTOR_PASSWORD = env.str("SMS_PROSTOR_PASSWORD", default="")
SMS_PROSTOR_SENDER = env.str("SMS_PROSTOR_SENDER", default="")
SMS_PROSTOR_TIMEOUT = env.float("SMS_PROSTOR_TIMEOUT", default=5.0)

# Одноразовые коды (SMS и e-mail): срок жизни, попытки, пауза перед повторной отправкой.
ACCOUNTS_CODE_TTL_SECONDS = env.int("ACCOUNTS_CODE_TTL_SECONDS", default=5 * 60)
ACCOUNTS_CODE_MAX_ATTEMPTS = env.int("ACCOUNTS_CODE_MAX_ATTEMPTS", default=5)
# Неверных попыток одного кода со всех адресов, после которых он уничтожается (перебор с многих IP).
ACCOUNTS_CODE_MAX_ATTEMPTS_TOTAL = env.int("ACCOUNTS_CODE_MAX_ATTEMPTS_TOTAL", default=30)
# Попыток ввода кода в час с одного адреса (IPv6 — с сети /64) на все номера и адреса.
ACCOUNTS_CODE_CONFIRM_LIMIT_IP_PER_HOUR = env.int("ACCOUNTS_CODE_CONFIRM_LIMIT_IP_PER_HOUR", default=30)
ACCOUNTS_CODE_RESEND_SECONDS = env.int("ACCOUNTS_CODE_RESEND_SECONDS", default=60)
# Потолки запросов кода (защита от SMS-накачки): на один номер или адрес и на один IP.
ACCOUNTS_CODE_LIMIT_TARGET_PER_HOUR = env.int("ACCOUNTS_CODE_LIMIT_TARGET_PER_HOUR", default=5)
ACCOUNTS_CODE_LIMIT_TARGET_PER_DAY = env.int("ACCOUNTS_CODE_LIMIT_TARGET_PER_DAY", default=10)
ACCOUNTS_CODE_LIMIT_IP_PER_HOUR = env.int("ACCOUNTS_CODE_LIMIT_IP_PER_HOUR", default=20)
ACCOUNTS_CODE_LIMIT_IP_PER_DAY = env.int("ACCOUNTS_CODE_LIMIT_IP_PER_DAY", default=50)
# Вход по паролю: после стольких неудач за окно вход для аккаунта (или с IP) временно закрыт.
ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT = env.int("ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT", default=5)
ACCOUNTS_LOGIN_FAILURES_PER_IP = env.int("ACCOUNTS_LOGIN_FAILURES_PER_IP", default=30)
# Вход в HTML-админки (Wagtail и Django) — под теми же лимитами неудач, что вход через API:
# бэкенд-сторож первым не пускает к проверке пароля закрытый аккаунт или адрес.
AUTHENTICATION_BACKENDS = [
    "accounts.admin_login.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.admin_login.WagtailLoginThrottleForm"
ACCOUNTS_LOGIN_WINDOW_SECONDS = env.int("ACCOUNTS_LOGIN_WINDOW_SECONDS", default=15 * 60)
# Адрес клиента за обратным прокси — по общей настройке TRUSTED_PROXIES (core.client_ip).

# --- Каталог, цены, остатки -----------------------------------------------------------------

# Время жизни ответа API каталога в кэше, секунды (0 — не кэшировать). Кэш версионный:
# любое изменение каталога, цен или остатков делает старые ответы недостижимыми сразу.
CATALOG_CACHE_TIMEOUT = env.int("CATALOG_CACHE_TIMEOUT", default=300)
# Как часто процесс сверяет версии каталога с Redis, секунды: между сверками — копия в памяти
# (свои правки процесс видит сразу, чужие — не позже этого срока). 0 — на каждом запросе.
# Короткий путь публичных анонимных GET каталога мимо ненужных им middleware (false — выключить).
CATALOG_LEAN_PATH = env.bool("CATALOG_LEAN_PATH", default=True)
CATALOG_VERSION_CHECK_SECONDS = env.float("CATALOG_VERSION_CHECK_SECONDS", default=0.0 if IS_TEST else 1.0)
# Размеры изображений товара в ответах API (фильтры Wagtail): в списке и в карточке.
CATALOG_LIST_IMAGE_RENDITIONS = env.list("CATALOG_LIST_IMAGE_RENDITIONS", default=["fill-400x400", "fill-800x800"])
CATALOG_DETAIL_IMAGE_RENDITIONS = env.list(
    "CATALOG_DETAIL_IMAGE_RENDITIONS", default=["fill-400x400", "max-1200x1200", "fill-120x120"]
)

# --- Корзина и заказы -----------------------------------------------------------------------

# Потолки корзины: штук в одной строке и строк в корзине.
CART_LINE_MAX_QUANTITY = env.int("CART_LINE_MAX_QUANTITY", default=99)
CART_MAX_LINES = env.int("CART_MAX_LINES", default=100)
# Анонимная корзина без изменений дольше стольких дней удаляется задачей Celery beat.
CART_ANONYMOUS_TTL_DAYS = env.int("CART_ANONYMOUS_TTL_DAYS", default=30)
# Сколько минут резерв товара ждёт оплаты; потом задача Celery beat отменяет заказ и снимает резерв.
ORDERS_RESERVATION_MINUTES = env.int("ORDERS_RESERVATION_MINUTES", default=30)
# Ключи Idempotency-Key хранятся не меньше стольких часов; «зависший» ключ (процесс упал
# посреди оформления) через столько секунд можно использовать снова.
ORDERS_IDEMPOTENCY_KEY_TTL_HOURS = env.int("ORDERS_IDEMPOTENCY_KEY_TTL_HOURS", default=24)
ORDERS_IDEMPOTENCY_STALE_SECONDS = env.int("ORDERS_IDEMPOTENCY_STALE_SECONDS", default=120)
# Стоимость доставки по способам: cost — цена, free_from — сумма товаров для бесплатной доставки.
ORDERS_DELIVERY_RULES = {
    "pickup": {"cost": "0"},
    "courier": {
        "cost": env.str("ORDERS_COURIER_COST", default="300"),
        "free_from": env.str("ORDERS_COURIER_FREE_FROM", default="5000"),
    },
    "post": {"cost": env.str("ORDERS_POST_COST", default="400")},
}
# Уведомления покупателю о смене статуса заказа (e-mail и SMS через Celery).
ORDERS_NOTIFY_EMAIL = env.bool("ORDERS_NOTIFY_EMAIL", default=True)
ORDERS_NOTIFY_SMS = env.bool("ORDERS_NOTIFY_SMS", default=True)
# Ссылка отслеживания заказа на витрине; {token} — секретный токен заказа, {number} — номер.
# По умолчанию — от адреса витрины STOREFRONT_URL (без него — витрина разработчика на :3000).
ORDERS_TRACKING_URL = env.str(
    "ORDERS_TRACKING_URL", default=f"{(STOREFRONT_URL or 'http://localhost:3000').rstrip('/')}/orders/track/{{token}}"
)
# Отслеживание заказа без входа: потолок попыток с одного IP (перебор номеров и телефонов).
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["orders_track"] = env.str("ORDERS_TRACK_RATE", default="30/min")
CELERY_BEAT_SCHEDULE.update(
    {
        "orders-reservations-expire": {"task": "commerce.orders.tasks.orders_reservations_expire", "schedule": 60.0},
        "orders-idempotency-keys-purge": {
            "task": "commerce.orders.tasks.orders_idempotency_keys_purge",
            "schedule": 60.0 * 60,
        },
        "cart-anonymous-purge": {"task": "commerce.cart.tasks.cart_anonymous_purge", "schedule": 60.0 * 60 * 24},
        # Скидки каталога включаются и выключаются по датам акций (commerce.promotions).
        "promotions-catalog-switch": {"task": "commerce.promotions.tasks.catalog_promotions_switch", "schedule": 60.0},
    }
)

# --- Оформление: защита от двойной отправки и накопления резервов (issue 20) ----------------------

# Потолки оформлений с одного IP и на один телефон контакта (число/second|minute|hour|day; пусто —
# без потолка). Считается каждый запрос оформления; сверх потолка — 429 throttled и Retry-After.
ORDERS_CHECKOUT_RATE_IP = env.str("ORDERS_CHECKOUT_RATE_IP", default="20/hour")
ORDERS_CHECKOUT_RATE_PHONE = env.str("ORDERS_CHECKOUT_RATE_PHONE", default="10/hour")
# Сколько часов держится резерв заказа с оплатой при получении, пока менеджер его не подтвердит
# (статус «собирается»); потом задача Celery beat отменяет заказ. 0 — резерв без срока.
ORDERS_COD_RESERVATION_HOURS = env.int("ORDERS_COD_RESERVATION_HOURS", default=24)
# Оплата при получении только для покупателя, вошедшего по коду из SMS на телефон контакта.
ORDERS_COD_REQUIRE_CONFIRMED_PHONE = env.bool("ORDERS_COD_REQUIRE_CONFIRMED_PHONE", default=False)

# --- Поиск ---------------------------------------------------------------------------------

# Бэкенд поиска Wagtail (modelsearch). database — полнотекстовый поиск PostgreSQL
# (на SQLite для `make run` — FTS5); opensearch2/opensearch3/elasticsearch8/elasticsearch9 —
# внешний кластер по адресам SEARCH_URLS. После смены бэкенда: `manage.py update_index`.
SEARCH_BACKEND = env.str("SEARCH_BACKEND", default="database")
_SEARCH_BACKEND_MODULES = {
    "database": "wagtail.search.backends.database",
    "opensearch2": "wagtail.search.backends.opensearch2",
    "opensearch3": "wagtail.search.backends.opensearch3",
    "elasticsearch8": "wagtail.search.backends.elasticsearch8",
    "elasticsearch9": "wagtail.search.backends.elasticsearch9",
}
if SEARCH_BACKEND not in _SEARCH_BACKEND_MODULES:
    raise ImproperlyConfigured(
        f"SEARCH_BACKEND={SEARCH_BACKEND!r} не поддерживается; допустимо: {', '.join(_SEARCH_BACKEND_MODULES)}."
    )
if SEARCH_BACKEND == "database":
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": _SEARCH_BACKEND_MODULES[SEARCH_BACKEND],
            # Русская конфигурация PostgreSQL с ё→е (создаёт миграция search 0002).
            "SEARCH_CONFIG": env.str("SEARCH_POSTGRES_CONFIG", default="megashop_russian"),
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": _SEARCH_BACKEND_MODULES[SEARCH_BACKEND],
            "URLS": env.list("SEARCH_URLS", default=["http://localhost:9200"]),
            "INDEX": env.str("SEARCH_INDEX_PREFIX", default="megashop"),
            "TIMEOUT": env.int("SEARCH_TIMEOUT", default=5),
            "OPTIONS": {},
            # Русская морфология и ё→е в OpenSearch/Elasticsearch: анализатор по умолчанию.
            "INDEX_SETTINGS": {
                "settings": {
                    "analysis": {
                        "char_filter": {"yo_to_ye": {"type": "mapping", "mappings": ["ё => е", "Ё => Е"]}},
                        "filter": {
                            "russian_stop": {"type": "stop", "stopwords": "_russian_"},
                            "russian_stemmer": {"type": "stemmer", "language": "russian"},
                        },
                        "analyzer": {
                            "default": {
                                "type": "custom",
                                "tokenizer": "standard",
                                "char_filter": ["yo_to_ye"],
                                "filter": ["lowercase", "russian_stop", "russian_stemmer"],
                            }
                        },
                    }
                }
            },
        }
    }
# Запрос длиннее обрезается (по границе слова), слов в запросе — не больше SEARCH_QUERY_MAX_TERMS.
SEARCH_QUERY_MAX_LENGTH = env.int("SEARCH_QUERY_MAX_LENGTH", default=200)
SEARCH_QUERY_MAX_TERMS = env.int("SEARCH_QUERY_MAX_TERMS", default=10)
# Сколько лучших совпадений поиск отдаёт фильтрам и страницам выдачи.
SEARCH_MAX_RESULTS = env.int("SEARCH_MAX_RESULTS", default=1000)
# Подсказки: с какой длины запроса, сколько товаров, сколько секунд ответ живёт в кэше.
SEARCH_SUGGEST_MIN_LENGTH = env.int("SEARCH_SUGGEST_MIN_LENGTH", default=2)
SEARCH_SUGGEST_LIMIT = env.int("SEARCH_SUGGEST_LIMIT", default=8)
SEARCH_SUGGEST_CACHE_SECONDS = env.int("SEARCH_SUGGEST_CACHE_SECONDS", default=300)
# Журнал поиска: включён ли, размер пачки переноса из буфера Redis, срок хранения сырых записей.
SEARCH_LOG_ENABLED = env.bool("SEARCH_LOG_ENABLED", default=True)
SEARCH_LOG_FLUSH_BATCH = env.int("SEARCH_LOG_FLUSH_BATCH", default=5000)
SEARCH_LOG_RETENTION_DAYS = env.int("SEARCH_LOG_RETENTION_DAYS", default=90)
# Встроенный вариант (без Redis, Celery eager, без beat): агрегаты отчётов поиска пересчитываются
# после фиксации каждой записи журнала, чтобы отчёты заполнялись в демо. В production — beat.
SEARCH_STATS_AGGREGATE_ON_WRITE = env.bool(
    "SEARCH_STATS_AGGREGATE_ON_WRITE", default=CELERY_TASK_ALWAYS_EAGER and not REDIS_URL
)
# «Часто ищут»: за сколько дней, сколько запросов на регион, с какого числа поисков запрос виден.
SEARCH_POPULAR_DAYS = env.int("SEARCH_POPULAR_DAYS", default=30)
SEARCH_POPULAR_LIMIT = env.int("SEARCH_POPULAR_LIMIT", default=100)
SEARCH_POPULAR_MIN_SEARCHES = env.int("SEARCH_POPULAR_MIN_SEARCHES", default=3)
# События витрины (просмотр, корзина, покупка) с одного IP: потолок частоты.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["search_events"] = env.str("SEARCH_EVENTS_RATE", default="120/min")
CELERY_BEAT_SCHEDULE.update(
    {
        "search-buffer-flush": {"task": "commerce.search.tasks.search_buffer_flush", "schedule": 60.0},
        "search-stats-today": {"task": "commerce.search.tasks.search_stats_aggregate", "schedule": 15 * 60.0},
        "search-stats-yesterday": {
            "task": "commerce.search.tasks.search_stats_aggregate",
            "schedule": crontab(hour=0, minute=30),
            "args": ("yesterday",),
        },
        "search-logs-purge": {
            "task": "commerce.search.tasks.search_logs_purge",
            "schedule": crontab(hour=3, minute=15),
        },
    }
)

# --- Импорт и экспорт -----------------------------------------------------------------------

# Обмен каталогом одним файлом (commerce.exchange): пределы файла и размер пачки записи.
EXCHANGE_MAX_UPLOAD_BYTES = env.int("EXCHANGE_MAX_UPLOAD_BYTES", default=200 * 1024 * 1024)
# Распакованный размер XLSX и степень сжатия члена архива: больше — похоже на zip-бомбу.
EXCHANGE_MAX_UNPACKED_BYTES = env.int("EXCHANGE_MAX_UNPACKED_BYTES", default=1024 * 1024 * 1024)
EXCHANGE_MAX_COMPRESSION_RATIO = env.int("EXCHANGE_MAX_COMPRESSION_RATIO", default=200)
EXCHANGE_CHUNK_ROWS = env.int("EXCHANGE_CHUNK_ROWS", default=5000)
# Пределы содержимого файла, проверяются в задаче проверки (не в запросе загрузки): разных текстов
# XLSX (общих строк), строк листа и ячеек листа; больше — задание «файл не прочитан» с причиной.
EXCHANGE_MAX_SHARED_STRINGS = env.int("EXCHANGE_MAX_SHARED_STRINGS", default=2_000_000)
EXCHANGE_MAX_ROWS = env.int("EXCHANGE_MAX_ROWS", default=1_000_000)
EXCHANGE_MAX_CELLS = env.int("EXCHANGE_MAX_CELLS", default=50_000_000)
# Сколько id товаров в одной задаче переиндексации поиска после импорта.
EXCHANGE_REINDEX_BATCH = env.int("EXCHANGE_REINDEX_BATCH", default=5000)
# Очереди Celery (docs/sysadmin/scaling.md): default, imports, integrations, notifications —
# у каждой свой воркер (установщик: megashop-worker@<очередь>), так что импорт на 250 тысяч строк
# не задерживает SMS и письма. Тяжёлые прогоны обмена — в очереди imports.
CELERY_TASK_QUEUE_NAMES = ("default", "imports", "integrations", "notifications")
CELERY_TASK_ROUTES = {
    "exchange.*": {"queue": "imports"},
    # Уведомления покупателю (письма и SMS о заказе) — своя очередь: их ждут люди.
    "commerce.orders.tasks.order_status_notify": {"queue": "notifications"},
}

# --- Журналы ---------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Задачи (django_tasks, Celery в режиме eager) пишут INFO на каждый запуск — в консоли
        # `make run` это шум; предупреждения и ошибки видны по-прежнему.
        "django_tasks": {"level": env.str("TASKS_LOG_LEVEL", default="WARNING")},
        "celery": {"level": env.str("TASKS_LOG_LEVEL", default="WARNING")},
    },
}

# --- Регионы --------------------------------------------------------------------------------

# Режим дерева страниц: subfolder (example.ru/msk/) или subdomain (msk.example.ru).
# После смены режима: `manage.py regions_build_tree` перестраивает сайты Wagtail, страницы остаются.
REGIONS_TREE_MODE = env.str("REGIONS_TREE_MODE", default="subfolder")
REGIONS_BASE_DOMAIN = env.str("REGIONS_BASE_DOMAIN", default="localhost")
# Резолверы региона по порядку; первый нашедший регион побеждает, DefaultResolver — последний.
REGIONS_RESOLVERS = env.list(
    "REGIONS_RESOLVERS",
    default=[
        "regions.resolvers.ExplicitResolver",
        "regions.resolvers.SubfolderResolver",
        "regions.resolvers.SubdomainResolver",
        "regions.resolvers.GeoIpResolver",
        "regions.resolvers.CookieResolver",
        "regions.resolvers.DefaultResolver",
    ],
)
# База MaxMind (GeoLite2-City.mmdb); нет файла — регион по IP просто не определяется.
REGIONS_GEOIP_DATABASE = env.str(
    "REGIONS_GEOIP_DATABASE", default=str(BASE_DIR / "var" / "geoip" / "GeoLite2-City.mmdb")
)
# Доверенные прокси для GeoIP — общий TRUSTED_PROXIES (core.client_ip).
REGIONS_COOKIE_NAME = "megashop_region"
# Для режима поддоменов: ".example.ru", чтобы выбор региона был общим для всех поддоменов.
REGIONS_COOKIE_DOMAIN = env.str("REGIONS_COOKIE_DOMAIN", default="") or None
REGIONS_COOKIE_SECURE = IS_PRODUCTION
REGIONS_COOKIE_MAX_AGE = 60 * 60 * 24 * 365
# Явный выбор региона: заголовок запроса и параметр адреса (ExplicitResolver).
REGIONS_HEADER = "X-Region"
REGIONS_QUERY_PARAMETER = "region"
# Как часто (секунды) перечитывать файл базы GeoIP, если его заменили.
REGIONS_GEOIP_RELOAD_SECONDS = 60
# Ключ версии снимка регионов в общем кэше.
REGIONS_CACHE_VERSION_KEY = "regions:registry-version"
# Как часто (секунды) процесс сверяет свой снимок регионов с версией в Redis. Правка региона
# видна в процессе, где её сделали, сразу, а в остальных — не позже чем через это время;
# сверка на каждом запросе стоила бы ещё одного обращения к Redis. В тестах — каждый запрос.
REGIONS_REGISTRY_CHECK_SECONDS = env.float("REGIONS_REGISTRY_CHECK_SECONDS", default=0.0 if IS_TEST else 1.0)

# --- Демонстрационные данные -----------------------------------------------------------------

# Функции наполнения для `manage.py seed_demo`, по порядку. Каждая идемпотентна;
# приложения добавляют сюда свои (регионы, каталог, блог).
MEGASHOP_DEMO_SEEDERS = [
    "accounts.demo.seed_admin_user",
    "staff.demo.seed_staff_users",
    "config.demo.seed_site_name",
    "regions.demo.seed_regions",
    "regions.demo_home.seed_home_content",
    "commerce.catalog.demo.seed_catalog",
    "commerce.catalog.demo_assortment.seed_assortment",
    "commerce.search.demo.seed_search_index",
    "commerce.payments.demo.seed_payment_providers",
    "commerce.orders.demo.seed_delivery",
    "commerce.payments.demo_orders.seed_demo_orders",
    "blog.demo.seed_blog",
]
# Строки приложений в блоке «как войти» в конце вывода `make run` (config runserver): функции
# (*, base_url) → список строк; например, адрес и логин демо-узла обмена с 1С.
MEGASHOP_RUN_SUMMARY = []
# Сколько товаров в демо-ассортименте (commerce.catalog.demo_assortment); 0 — только четыре примера.
# В тестах по умолчанию 36 (три на каждый вид товара): seed_demo вызывают многие тесты.
# Аккаунт без пароля, телефона и e-mail (только вход через соцсеть) удаляется лишь в течение
# стольких секунд после входа: подтвердить удаление кодом ему нечем.
ACCOUNTS_DELETE_RECENT_LOGIN_SECONDS = env.int("ACCOUNTS_DELETE_RECENT_LOGIN_SECONDS", default=600)
MEGASHOP_DEMO_PRODUCTS = env.int("MEGASHOP_DEMO_PRODUCTS", default=36 if IS_TEST else 400)
MEGASHOP_SUPERUSER_USERNAME = env.str("DJANGO_SUPERUSER_USERNAME", default="admin")
MEGASHOP_SUPERUSER_EMAIL = env.str("DJANGO_SUPERUSER_EMAIL", default="admin@example.ru")
MEGASHOP_SUPERUSER_PASSWORD = env.str("DJANGO_SUPERUSER_PASSWORD", default="")

# --- Платежи ---

# Включённые провайдеры: код → класс. Какие из них видит покупатель — решает регион
# (админка: «Провайдеры в регионах»). ЮKassa включается YOOKASSA_ENABLED.
PAYMENTS_TEST_PROVIDER_ENABLED = env.bool("PAYMENTS_TEST_PROVIDER_ENABLED", default=not IS_PRODUCTION)
PAYMENTS_PROVIDERS = {"cash_on_delivery": "commerce.payments.providers.cash_on_delivery.CashOnDeliveryProvider"}
if PAYMENTS_TEST_PROVIDER_ENABLED:
    PAYMENTS_PROVIDERS["test"] = "commerce.payments.providers.test.TestPaymentProvider"
# Базовый адрес ссылок на оплату тестового провайдера (этот же сервер).
PAYMENTS_TEST_CONFIRMATION_BASE_URL = env.str("PAYMENTS_TEST_CONFIRMATION_BASE_URL", default=WAGTAILADMIN_BASE_URL)
# Хосты витрины, на которые шлюз может вернуть покупателя (пусто — любые; в production задайте).
PAYMENTS_RETURN_URL_HOSTS = env.list("PAYMENTS_RETURN_URL_HOSTS", default=[])
# Отклонённые уведомления платежей: сколько байт начала тела хранить в журнале (плюс sha256)
# и сколько отказов с одного IP (IPv6 — с сети /64) за окно писать; сверх — 429 без записи.
PAYMENTS_WEBHOOK_REJECTED_PREFIX_BYTES = env.int("PAYMENTS_WEBHOOK_REJECTED_PREFIX_BYTES", default=256)
PAYMENTS_WEBHOOK_REJECTED_LIMIT = env.int("PAYMENTS_WEBHOOK_REJECTED_LIMIT", default=30)
PAYMENTS_WEBHOOK_REJECTED_WINDOW_SECONDS = env.int("PAYMENTS_WEBHOOK_REJECTED_WINDOW_SECONDS", default=60 * 60)
# Как часто GET статуса оплаты перечитывает незавершённый платёж у провайдера, секунд.
PAYMENTS_SYNC_INTERVAL_SECONDS = env.int("PAYMENTS_SYNC_INTERVAL_SECONDS", default=10)
# Чек 54-ФЗ: ставка НДС (11 — 22 % с 2026 года), способ расчёта, система налогообложения.
PAYMENTS_VAT_CODE = env.int("PAYMENTS_VAT_CODE", default=11)
PAYMENTS_RECEIPT_PAYMENT_MODE = env.str("PAYMENTS_RECEIPT_PAYMENT_MODE", default="full_prepayment")
# Код системы налогообложения 1–6 (0 — не передавать: у магазина одна система).
PAYMENTS_TAX_SYSTEM_CODE = env.int("PAYMENTS_TAX_SYSTEM_CODE", default=0) or None

# ЮKassa (API v3). Включается YOOKASSA_ENABLED; без учётных данных тогда не стартует.
YOOKASSA_ENABLED = env.bool("YOOKASSA_ENABLED", default=False)
YOOKASSA_SHOP_ID = env.str("YOOKASSA_SHOP_ID", default="")
YOOKASSA_SECRET_KEY = env.str("YOOKASSA_SECRET_KEY", default="")
YOOKASSA_API_URL = env.str("YOOKASSA_API_URL", default="https://api.yookassa.ru/v3")
YOOKASSA_TIMEOUT = env.float("YOOKASSA_TIMEOUT", default=10.0)
# Сети, из которых ЮKassa шлёт уведомления (опубликованы ЮKassa; меняются без кода).
YOOKASSA_WEBHOOK_NETWORKS = env.list(
    "YOOKASSA_WEBHOOK_NETWORKS",
    default=[
        "185.71.76.0/27",
        "185.71.77.0/27",
        "77.75.153.0/25",
        "77.75.156.11",
        "77.75.156.35",
        "77.75.154.128/25",
        "2a02:5180::/32",
    ],
)
if YOOKASSA_ENABLED:
    PAYMENTS_PROVIDERS["yookassa"] = "commerce.payments.providers.yookassa.YooKassaProvider"

# --- Права сотрудников (issue #20) --------------------------------------------------------------
# Не настройка окружения, а правило безопасности: выгрузка через django-import-export в Django
# admin требует права просмотра модели, загрузка — права правки. Без этого (значение по
# умолчанию None) любой сотрудник с доступом в /django-admin/ выгружал, например, все заказы.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"

# --- Интеграции: ядро (integrations.core) -----------------------------------------------------

# Ключи Fernet через запятую для секретов подключений: первым шифруется, остальными — только
# расшифровка (ротация: новый ключ первым, `manage.py integrations rotate-key`, старый убрать).
# В разработке (`make run`) без переменной — свой случайный ключ рабочей копии в var/ (права 0600,
# config.dev_keys): без ключа не создать демо-узел обмена с 1С. В тестах и production ключа по умолчанию нет.
INTEGRATIONS_SECRET_KEY = env.str("INTEGRATIONS_SECRET_KEY", default="")
if not INTEGRATIONS_SECRET_KEY and DJANGO_ENV == "development":
    INTEGRATIONS_SECRET_KEY = development_fernet_key(BASE_DIR / "var" / "integrations-dev.key")
# Версия в User-Agent запросов к внешним системам (Megashop/<версия>), если пакет не установлен.
INTEGRATIONS_VERSION = env.str("INTEGRATIONS_VERSION", default="0.1.0")
INTEGRATIONS_HTTP_CONNECT_TIMEOUT = env.float("INTEGRATIONS_HTTP_CONNECT_TIMEOUT", default=5.0)
INTEGRATIONS_HTTP_READ_TIMEOUT = env.float("INTEGRATIONS_HTTP_READ_TIMEOUT", default=30.0)
INTEGRATIONS_HTTP_RETRIES = env.int("INTEGRATIONS_HTTP_RETRIES", default=3)
INTEGRATIONS_HTTP_BACKOFF_BASE = env.float("INTEGRATIONS_HTTP_BACKOFF_BASE", default=0.5)
INTEGRATIONS_HTTP_BACKOFF_CAP = env.float("INTEGRATIONS_HTTP_BACKOFF_CAP", default=30.0)
# Outbox: попыток до «мёртвого», пауза между попытками (экспонента с джиттером), аренда доставки.
INTEGRATIONS_MAX_ATTEMPTS = env.int("INTEGRATIONS_MAX_ATTEMPTS", default=12)
INTEGRATIONS_RETRY_BASE_SECONDS = env.float("INTEGRATIONS_RETRY_BASE_SECONDS", default=10.0)
INTEGRATIONS_RETRY_CAP_SECONDS = env.float("INTEGRATIONS_RETRY_CAP_SECONDS", default=3600.0)
INTEGRATIONS_DELIVERY_LEASE_SECONDS = env.float("INTEGRATIONS_DELIVERY_LEASE_SECONDS", default=120.0)
INTEGRATIONS_OUTBOX_BATCH = env.int("INTEGRATIONS_OUTBOX_BATCH", default=50)
INTEGRATIONS_OUTBOX_TIME_BUDGET = env.float("INTEGRATIONS_OUTBOX_TIME_BUDGET", default=50.0)
INTEGRATIONS_OUTBOX_POLL_SECONDS = env.float("INTEGRATIONS_OUTBOX_POLL_SECONDS", default=15.0)
# Входящие вебхуки: предел тела и запросов в минуту с одного IP.
INTEGRATIONS_WEBHOOK_MAX_BYTES = env.int("INTEGRATIONS_WEBHOOK_MAX_BYTES", default=1024 * 1024)
INTEGRATIONS_WEBHOOK_RATE_PER_MINUTE = env.int("INTEGRATIONS_WEBHOOK_RATE_PER_MINUTE", default=120)
# Доставка событий и вебхуки — в своей очереди integrations (воркер: celery worker -Q integrations).
CELERY_TASK_ROUTES["integrations.*"] = {"queue": "integrations"}
CELERY_BEAT_SCHEDULE["integrations-outbox-deliver"] = {
    "task": "integrations.outbox_deliver",
    "schedule": INTEGRATIONS_OUTBOX_POLL_SECONDS,
}
# Отладочный журнал urllib3 пишет путь запроса, а в путях API бывают токены: выше INFO не опускаем.
LOGGING["loggers"]["urllib3"] = {"level": "INFO"}

# --- Интеграции: amoCRM (integrations.amocrm, issue #18) ---------------------------------------
# Коннектор — после ядра integrations.core (его модели и реестр систем).
INSTALLED_APPS.insert(INSTALLED_APPS.index("integrations.core") + 1, "integrations.amocrm")
# Токен доступа amoCRM обновляется заранее — за столько секунд до истечения.
AMOCRM_TOKEN_REFRESH_MARGIN_SECONDS = env.int("AMOCRM_TOKEN_REFRESH_MARGIN_SECONDS", default=600)
# Заявки «перезвоните мне» (POST /api/v1/crm/requests/) с одного IP; пустая строка — без предела.
CRM_REQUESTS_RATE = env.str("CRM_REQUESTS_RATE", default="5/hour")

# --- Интеграции: ERPNext (integrations.erpnext, issue #19) ------------------------------------
# Коннектор — после ядра integrations.core (его модели и реестр систем).
INSTALLED_APPS.insert(INSTALLED_APPS.index("integrations.core") + 1, "integrations.erpnext")
# Как часто загружать изменения из ERPNext (страховка к вебхукам), секунд; 0 — не по расписанию.
ERPNEXT_SYNC_INTERVAL_SECONDS = env.int("ERPNEXT_SYNC_INTERVAL_SECONDS", default=900)
# Сколько секунд держится замок загрузки подключения (упавший процесс не держит его вечно).
ERPNEXT_SYNC_LOCK_SECONDS = env.int("ERPNEXT_SYNC_LOCK_SECONDS", default=3600)
if ERPNEXT_SYNC_INTERVAL_SECONDS:
    CELERY_BEAT_SCHEDULE["integrations-erpnext-sync"] = {
        "task": "integrations.erpnext_sync_due",
        "schedule": ERPNEXT_SYNC_INTERVAL_SECONDS,
    }

# --- Интеграции: МойСклад (integrations.moysklad, issue #17) -----------------------------------
# Коннектор — после ядра integrations.core (его модели и реестр систем). Настройки — у подключения.
INSTALLED_APPS.insert(INSTALLED_APPS.index("integrations.core") + 1, "integrations.moysklad")
# Инкрементальная синхронизация (изменённое с прошлого прохода) — каждые столько минут; 0 — выключить.
MOYSKLAD_SYNC_MINUTES = env.int("MOYSKLAD_SYNC_MINUTES", default=15)
# Полная синхронизация (с остатками по всем складам и снятием удалённого) — раз в сутки в этот час (МСК).
MOYSKLAD_FULL_SYNC_HOUR = env.int("MOYSKLAD_FULL_SYNC_HOUR", default=4)
# Сколько держится блокировка прохода подключения (упавший воркер не держит её дольше).
MOYSKLAD_SYNC_LOCK_SECONDS = env.int("MOYSKLAD_SYNC_LOCK_SECONDS", default=3600)
if MOYSKLAD_SYNC_MINUTES:
    CELERY_BEAT_SCHEDULE["moysklad-sync"] = {
        "task": "integrations.moysklad_sync",
        "schedule": MOYSKLAD_SYNC_MINUTES * 60,
        "kwargs": {"full": False},
    }
CELERY_BEAT_SCHEDULE["moysklad-sync-full"] = {
    "task": "integrations.moysklad_sync",
    "schedule": crontab(hour=MOYSKLAD_FULL_SYNC_HOUR, minute=10),
    "kwargs": {"full": True},
}

# --- Установщик (install.sh, issue #26) ------------------------------------------------------

# Телефон первого администратора: manage.py bootstrap записывает его суперпользователю без телефона.
MEGASHOP_ADMIN_PHONE = env.str("MEGASHOP_ADMIN_PHONE", default="")

# --- Обмен с 1С (integrations.onec, issue #16) -------------------------------------------------
# Папка файлов сессий обмена (вне MEDIA_ROOT: файлы 1С не раздаются веб-сервером).
ONEC_EXCHANGE_ROOT = env.str("ONEC_EXCHANGE_ROOT", default=str(BASE_DIR / "var" / "onec"))
# Наибольшая часть файла в одном запросе mode=file (ответ init file_limit); больше — 1С режет файл.
ONEC_FILE_LIMIT = env.int("ONEC_FILE_LIMIT", default=8 * 1024 * 1024)
# Сессия обмена живёт столько секунд после последнего запроса 1С.
ONEC_SESSION_TTL = env.int("ONEC_SESSION_TTL", default=3600)
# Сколько последних сессий подключения хранят свои файлы (для разбора обмена).
ONEC_SESSIONS_KEPT = env.int("ONEC_SESSIONS_KEPT", default=10)
# Защита от zip-бомбы: общий распакованный размер архива и наибольшая степень сжатия файла.
ONEC_UNZIP_MAX_BYTES = env.int("ONEC_UNZIP_MAX_BYTES", default=4 * 1024 * 1024 * 1024)
ONEC_UNZIP_MAX_RATIO = env.int("ONEC_UNZIP_MAX_RATIO", default=200)
# Демо-узел обмена (логин 1c, пароль 1c-demo) — только в разработке.
MEGASHOP_DEMO_SEEDERS.append("integrations.onec.demo.seed_onec_connection")
MEGASHOP_RUN_SUMMARY.append("integrations.onec.demo.demo_summary_lines")

# --- Вход через соцсети: VK ID, Яндекс ID, Сбер ID, Telegram (accounts.oauth, issue #28) ---------------------
INSTALLED_APPS.insert(INSTALLED_APPS.index("accounts") + 1, "accounts.oauth")
# Адреса страниц витрины, на которые провайдеры возвращают покупателя (точное совпадение, через запятую).
OAUTH_REDIRECT_URIS = env.list("OAUTH_REDIRECT_URIS", default=[])
# Сколько живут state и PKCE verifier между start и complete, секунды.
OAUTH_STATE_TTL_SECONDS = env.int("OAUTH_STATE_TTL_SECONDS", default=10 * 60)
# Попыток входа через соцсети (start, complete, Telegram) с одного IP (IPv6 — сети /64) в час.
OAUTH_LIMIT_IP_PER_HOUR = env.int("OAUTH_LIMIT_IP_PER_HOUR", default=60)
# OAUTH_<ПРОВАЙДЕР>_REGIONS — коды регионов, где способ входа показан и работает; пусто — во всех.
OAUTH_VK_REGIONS = env.list("OAUTH_VK_REGIONS", default=[])
OAUTH_YANDEX_REGIONS = env.list("OAUTH_YANDEX_REGIONS", default=[])
OAUTH_TELEGRAM_REGIONS = env.list("OAUTH_TELEGRAM_REGIONS", default=[])
OAUTH_SBER_REGIONS = env.list("OAUTH_SBER_REGIONS", default=[])
OAUTH_VK_ENABLED = env.bool("OAUTH_VK_ENABLED", default=False)
OAUTH_VK_CLIENT_ID = env.str("OAUTH_VK_CLIENT_ID", default="")
OAUTH_VK_SCOPE = env.str("OAUTH_VK_SCOPE", default="email phone")
OAUTH_VK_BASE_URL = env.str("OAUTH_VK_BASE_URL", default="https://id.vk.ru")
OAUTH_YANDEX_ENABLED = env.bool("OAUTH_YANDEX_ENABLED", default=False)
OAUTH_YANDEX_CLIENT_ID = env.str("OAUTH_YANDEX_CLIENT_ID", default="")
OAUTH_YANDEX_CLIENT_SECRET = env.str("OAUTH_YANDEX_CLIENT_SECRET", default="")
OAUTH_YANDEX_SCOPE = env.str("OAUTH_YANDEX_SCOPE", default="")
OAUTH_YANDEX_OAUTH_URL = env.str("OAUTH_YANDEX_OAUTH_URL", default="https://oauth.yandex.ru")
OAUTH_YANDEX_LOGIN_URL = env.str("OAUTH_YANDEX_LOGIN_URL", default="https://login.yandex.ru")
OAUTH_YANDEX_AVATAR_URL = env.str("OAUTH_YANDEX_AVATAR_URL", default="https://avatars.yandex.net/get-yapic")
# Сбер ID: client id/secret из личного кабинета Сбер ID; сертификат и ключ (PEM) — для mTLS к API.
OAUTH_SBER_ENABLED = env.bool("OAUTH_SBER_ENABLED", default=False)
OAUTH_SBER_CLIENT_ID = env.str("OAUTH_SBER_CLIENT_ID", default="")
OAUTH_SBER_CLIENT_SECRET = env.str("OAUTH_SBER_CLIENT_SECRET", default="")
OAUTH_SBER_SCOPE = env.str("OAUTH_SBER_SCOPE", default="openid name email mobile")
OAUTH_SBER_AUTHORIZE_URL = env.str(
    "OAUTH_SBER_AUTHORIZE_URL", default="https://online.sberbank.ru/CSAFront/oidc/authorize.do"
)
OAUTH_SBER_API_URL = env.str("OAUTH_SBER_API_URL", default="https://oauth.sber.ru/ru/prod")
OAUTH_SBER_CERT_FILE = env.str("OAUTH_SBER_CERT_FILE", default="")
OAUTH_SBER_KEY_FILE = env.str("OAUTH_SBER_KEY_FILE", default="")
OAUTH_SBER_CA_FILE = env.str("OAUTH_SBER_CA_FILE", default="")
OAUTH_TELEGRAM_ENABLED = env.bool("OAUTH_TELEGRAM_ENABLED", default=False)
OAUTH_TELEGRAM_BOT_TOKEN = env.str("OAUTH_TELEGRAM_BOT_TOKEN", default="")
OAUTH_TELEGRAM_BOT_USERNAME = env.str("OAUTH_TELEGRAM_BOT_USERNAME", default="")
# Сколько секунд данные виджета Telegram (auth_date) считаются свежими.
OAUTH_TELEGRAM_AUTH_MAX_AGE_SECONDS = env.int("OAUTH_TELEGRAM_AUTH_MAX_AGE_SECONDS", default=10 * 60)

# --- Админка магазина: панели главной, брендинг, без внешних запросов (issue #23) ----------------
# Порог «мало на складе» для панели главной: вариант с доступным остатком не больше порога.
COMMERCE_LOW_STOCK_THRESHOLD = env.int("COMMERCE_LOW_STOCK_THRESHOLD", default=3)
# Аватары без Gravatar и без проверки обновлений Wagtail: админка работает и в закрытой сети.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- React-админка /manage/ (manage_ui, issue #25) ---------------------------------------------
# Папка сборки admin-ui (index.html и assets/); архив выпуска и образ Docker кладут её сюда готовой.
MANAGE_UI_DIST = env.str("MANAGE_UI_DIST", default=str(BASE_DIR / "admin-ui" / "dist"))

# --- API сотрудников /api/admin/v1/ (staffapi, issue #24) -------------------------------------
# Схема API сотрудников — отдельный документ (/api/admin/schema/); Swagger UI (/api/docs/)
# показывает обе схемы с переключателем.
SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"] = {
    "urls": [
        {"url": "/api/schema/", "name": "Megashop API (витрина)"},
        {"url": "/api/admin/schema/", "name": "Megashop Staff API (сотрудники)"},
    ],
}

# --- CDN и общие кэши (core.cdn, issue #27) ------------------------------------------------------
# Сколько секунд общий кэш (Varnish, CDN) хранит ответ каталога и контента; 0 — заголовки как
# раньше (только браузер с ETag). stale-while-revalidate — сколько ещё можно отдавать старый ответ,
# пока кэш перезапрашивает новый.
CDN_S_MAXAGE = env.int("CDN_S_MAXAGE", default=0)
CDN_STALE_WHILE_REVALIDATE = env.int("CDN_STALE_WHILE_REVALIDATE", default=30)
# Заголовки с ключами сброса: Surrogate-Key (Varnish, Fastly) и Cache-Tag (Cloudflare).
CDN_SURROGATE_KEY_HEADERS = env.list("CDN_SURROGATE_KEY_HEADERS", default=["Surrogate-Key", "Cache-Tag"])
# Резолверы региона, чей ответ одинаков для всех с тем же адресом и заголовками (см. core.cdn).
CDN_PUBLIC_REGION_RESOLVERS = env.list("CDN_PUBLIC_REGION_RESOLVERS", default=["explicit", "subfolder", "subdomain"])
if CDN_S_MAXAGE > 0:
    # Выше короткого пути каталога: заголовки CDN нужны прежде всего анонимным GET каталога.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("commerce.catalog.middleware.CatalogLeanPathMiddleware"), "core.cdn.CdnCacheMiddleware"
    )
# Сброс кэша по ключам и адресам через wagtail.contrib.frontend_cache: адрес Varnish
# (PURGE и бан по Surrogate-Key, deploy/varnish/megashop.vcl); пусто — не сбрасывать.
CDN_PURGE_VARNISH_URL = env.str("CDN_PURGE_VARNISH_URL", default="")
# Адрес сайта в запросах сброса (заголовок Host у Varnish); по умолчанию — адрес API.
CDN_PURGE_BASE_URL = env.str("CDN_PURGE_BASE_URL", default=WAGTAILAPI_BASE_URL)
if CDN_PURGE_VARNISH_URL:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": CDN_PURGE_VARNISH_URL,
        }
    }
