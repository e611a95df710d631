#!/usr/bin/env bash
# Браузерный тест «день менеджера»: встроенный вариант (SQLite, демо-данные) на свободном порту,
# Debian chromium (/usr/bin/chromium) под управлением playwright-core. Скриншоты — в
# tests/browser/screenshots/ (в .gitignore; CI сохраняет их как артефакты).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || { echo "BROWSER: нет $CHROMIUM (apt-get install chromium)"; exit 1; }
PY="${PY:-.venv/bin/python}"

# BROWSER_PORT — заданный порт (например, из выделенного диапазона); без него — свободный.
PORT="${BROWSER_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}"
WORK="$(mktemp -d)"
export SQLITE_PATH="$WORK/db.sqlite3" MEDIA_ROOT="$WORK/media"
unset DATABASE_URL REDIS_URL DJANGO_ENV CELERY_BROKER_URL CELERY_RESULT_BACKEND
export DJANGO_SUPERUSER_USERNAME=admin DJANGO_SUPERUSER_PASSWORD="browser-$(date +%s)"
export MEGASHOP_HOST=127.0.0.1 MEGASHOP_PORT="$PORT"

"$PY" manage.py migrate --no-input >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log"; exit 1; }
"$PY" manage.py seed_demo >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log"; exit 1; }
setsid "$PY" manage.py runserver --noreload "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
cleanup() {
  kill -- -"$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
started=$(date +%s)
until curl -fsS "http://127.0.0.1:$PORT/api/health/" >/dev/null 2>&1; do
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "BROWSER: сервер не запустился"; cat "$WORK/server.log"; exit 1; }
  (( $(date +%s) - started < 120 )) || { echo "BROWSER: сервер не ответил за 120 с"; cat "$WORK/server.log"; exit 1; }
  sleep 1
done

cd tests/browser
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
mkdir -p screenshots
BASE_URL="http://127.0.0.1:$PORT" ADMIN_USER=admin ADMIN_PASSWORD="$DJANGO_SUPERUSER_PASSWORD" \
  CHROMIUM="$CHROMIUM" SAMPLE_FILE="$ROOT/docs/admin/samples/catalog-sample.csv" \
  node --test --test-reporter=spec manager_day.test.mjs || { echo "BROWSER: журнал сервера:"; tail -50 "$WORK/server.log"; exit 1; }
