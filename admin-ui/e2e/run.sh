#!/usr/bin/env bash
# Сквозной тест React-админки: настоящий Django (SQLite, демо-данные) на свободном порту (E2E_PORT= задаёт),
# сборка admin-ui, Debian chromium (/usr/bin/chromium) под управлением playwright-core.
# Скриншоты — в admin-ui/e2e/screenshots/ (в .gitignore).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || { echo "E2E: нет $CHROMIUM (apt-get install chromium)"; exit 1; }
PY="${PY:-.venv/bin/python}"

(cd admin-ui && { [ -d node_modules ] || npm ci --no-audit --no-fund --silent; } && { [ -f dist/index.html ] || npm run --silent build; })

PORT="${E2E_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}"
WORK="$(mktemp -d)"
export SQLITE_PATH="$WORK/db.sqlite3" MEDIA_ROOT="$WORK/media" MANAGE_UI_DIST="$ROOT/admin-ui/dist"
unset DATABASE_URL REDIS_URL DJANGO_ENV CELERY_BROKER_URL CELERY_RESULT_BACKEND
export DJANGO_SUPERUSER_USERNAME=admin DJANGO_SUPERUSER_PASSWORD="e2e-$(date +%s)"
export MEGASHOP_HOST=127.0.0.1 MEGASHOP_PORT="$PORT"

"$PY" manage.py migrate --no-input >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log"; exit 1; }
"$PY" manage.py seed_demo >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log"; exit 1; }
# Пароль демо-сотрудников seed_demo печатает один раз: вход идёт под «orders» и «merch» — ролями, не суперпользователем.
STAFF_PASSWORD="$(sed -n 's/.*пароль \([^ ]*\)\. Он не будет показан снова\./\1/p' "$WORK/seed.log")"
[ -n "$STAFF_PASSWORD" ] || { echo "E2E: seed_demo не напечатал пароль сотрудников"; cat "$WORK/seed.log"; exit 1; }
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
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "E2E: сервер не запустился"; cat "$WORK/server.log"; exit 1; }
  (( $(date +%s) - started < 120 )) || { echo "E2E: сервер не ответил за 120 с"; cat "$WORK/server.log"; exit 1; }
  sleep 1
done

cd admin-ui
mkdir -p e2e/screenshots
BASE_URL="http://127.0.0.1:$PORT" STAFF_PASSWORD="$STAFF_PASSWORD" CHROMIUM="$CHROMIUM" \
  SAMPLE_FILE="$ROOT/docs/admin/samples/catalog-sample.csv" \
  node --test --test-reporter=spec e2e/journey.test.mjs || { echo "E2E: журнал сервера:"; tail -50 "$WORK/server.log"; exit 1; }
