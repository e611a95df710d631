#!/usr/bin/env bash
# Браузерный тест «день менеджера»: встроенный вариант (SQLite, демо-данные) на свободном порту
# (BROWSER_PORT= задаёт), Debian chromium (/usr/bin/chromium) под управлением playwright-core.
# Скриншоты — в tests/browser/screenshots/ (в .gitignore; CI сохраняет их как артефакты).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || { echo "BROWSER: нет $CHROMIUM (apt-get install chromium)"; exit 1; }
source scripts/demo_server.sh

demo_server_start BROWSER "${BROWSER_PORT:-}"

cd tests/browser
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
mkdir -p screenshots
BASE_URL="http://127.0.0.1:$PORT" ADMIN_USER=admin ADMIN_PASSWORD="$DJANGO_SUPERUSER_PASSWORD" \
  CHROMIUM="$CHROMIUM" SAMPLE_FILE="$ROOT/docs/admin/samples/catalog-sample.csv" \
  node --test --test-reporter=spec manager_day.test.mjs || { echo "BROWSER: журнал сервера:"; tail -50 "$WORK/server.log"; exit 1; }
