#!/usr/bin/env bash
# Сквозной тест React-админки: настоящий Django (SQLite, демо-данные) на свободном порту (E2E_PORT= задаёт),
# сборка admin-ui, Debian chromium (/usr/bin/chromium) под управлением playwright-core.
# Скриншоты — в admin-ui/e2e/screenshots/ (в .gitignore).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || { echo "E2E: нет $CHROMIUM (apt-get install chromium)"; exit 1; }
source scripts/demo_server.sh

(cd admin-ui && { [ -d node_modules ] || npm ci --no-audit --no-fund --silent; } && { [ -f dist/index.html ] || npm run --silent build; })

export MANAGE_UI_DIST="$ROOT/admin-ui/dist"
demo_server_start E2E "${E2E_PORT:-}"
# Пароль демо-сотрудников seed_demo печатает один раз: вход идёт под «orders» и «merch» — ролями, не суперпользователем.
STAFF_PASSWORD="$(sed -n 's/.*пароль \([^ ]*\)\. Он не будет показан снова\./\1/p' "$WORK/seed.log")"
[ -n "$STAFF_PASSWORD" ] || { echo "E2E: seed_demo не напечатал пароль сотрудников"; cat "$WORK/seed.log"; exit 1; }

cd admin-ui
mkdir -p e2e/screenshots
BASE_URL="http://127.0.0.1:$PORT" STAFF_PASSWORD="$STAFF_PASSWORD" CHROMIUM="$CHROMIUM" \
  SAMPLE_FILE="$ROOT/docs/admin/samples/catalog-sample.csv" \
  node --test --test-reporter=spec e2e/journey.test.mjs || { echo "E2E: журнал сервера:"; tail -50 "$WORK/server.log"; exit 1; }
