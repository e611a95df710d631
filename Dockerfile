# syntax=docker/dockerfile:1
# Megashop: образ для web (gunicorn), worker и beat (Celery). Многоэтапная сборка:
# 1) admin-ui собирает React-админку (/manage/) на Node.js; 2) builder ставит зависимости
# в виртуальное окружение; 3) runtime копирует только их и код, собирает статику и работает
# от непривилегированного пользователя. Node.js в итоговом образе нет.

ARG PYTHON_VERSION=3.11
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS admin-ui
WORKDIR /build/admin-ui
COPY admin-ui/package.json admin-ui/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY admin-ui/ ./
RUN npm run build

FROM python:${PYTHON_VERSION}-slim-bookworm AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential libpq-dev \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY requirements.txt /tmp/requirements.txt
RUN pip install --upgrade pip && pip install -r /tmp/requirements.txt

FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/opt/venv/bin:$PATH" \
    DJANGO_ENV=production \
    PORT=8000
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 megashop \
    && useradd --system --uid 10001 --gid megashop --home-dir /app --shell /usr/sbin/nologin megashop
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY --chown=megashop:megashop . /app
COPY --from=admin-ui --chown=megashop:megashop /build/admin-ui/dist /app/admin-ui/dist
# Статика собирается при сборке образа; ключи здесь — одноразовые, только для этого шага.
RUN DJANGO_ENV=production ALLOWED_HOSTS=build.invalid \
    SECRET_KEY=collectstatic-only-not-a-secret-key-0123456789abcdefghijklmnopqrstuvwxyz \
    JWT_SIGNING_KEY=collectstatic-only-not-a-jwt-key-0123456789abcdefghijklmnopqrstuvwxyz \
    python manage.py collectstatic --no-input \
    && mkdir -p /app/media && chown -R megashop:megashop /app/media /app/staticfiles
USER megashop
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/api/health/" || exit 1
# Таймауты, число процессов и адрес — deploy/gunicorn.conf.py (переменные GUNICORN_*, PORT).
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
