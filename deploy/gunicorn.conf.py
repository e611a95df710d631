"""Настройки gunicorn Megashop (web): один файл для Docker и установки на сервер.

Каждое значение можно переопределить переменной окружения с тем же именем в верхнем регистре
(GUNICORN_WORKERS, GUNICORN_TIMEOUT…); адрес — GUNICORN_BIND (или PORT в контейнере).
"""

import os

bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
chdir = os.environ.get("GUNICORN_CHDIR", "site")
wsgi_app = "config.wsgi:application"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Запрос дольше timeout секунд — воркер перезапускается; graceful — время на завершение при
# перезапуске; keepalive — ожидание следующего запроса по соединению с прокси.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Перезапуск воркера после стольких запросов (с разбросом) — страховка от утечек памяти.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Пределы строки запроса и заголовков: длинные отсекаются ответом 400 до Django.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Заголовок Server у gunicorn — без номера версии ("gunicorn"); за nginx его заменяет nginx
# без версии (server_tokens off).
