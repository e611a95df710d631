# Django для браузерных тестов: встроенный вариант (SQLite, демо-данные) на свободном порту.
# Подключается через `source` из admin-ui/e2e/run.sh и tests/browser/run.sh (корень — текущая папка).
# demo_server_start МЕТКА [ПОРТ] задаёт PORT, WORK (временная папка: база, медиа, журналы),
# DJANGO_SUPERUSER_PASSWORD и убирает сервер и папку при выходе; МЕТКА — префикс сообщений об ошибках.

PY="${PY:-.venv/bin/python}"

demo_server_stop() {
  kill -- -"$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}

demo_server_start() {
  local label="$1"
  PORT="${2:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}"
  WORK="$(mktemp -d)"
  export SQLITE_PATH="$WORK/db.sqlite3" MEDIA_ROOT="$WORK/media"
  unset DATABASE_URL REDIS_URL DJANGO_ENV CELERY_BROKER_URL CELERY_RESULT_BACKEND
  export DJANGO_SUPERUSER_USERNAME=admin DJANGO_SUPERUSER_PASSWORD="${label,,}-$(date +%s)"
  export MEGASHOP_HOST=127.0.0.1 MEGASHOP_PORT="$PORT"

  "$PY" manage.py migrate --no-input >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log"; exit 1; }
  "$PY" manage.py seed_demo >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log"; exit 1; }
  setsid "$PY" manage.py runserver --noreload "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  trap demo_server_stop EXIT
  local started
  started=$(date +%s)
  until curl -fsS "http://127.0.0.1:$PORT/api/health/" >/dev/null 2>&1; do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "$label: сервер не запустился"; cat "$WORK/server.log"; exit 1; }
    (( $(date +%s) - started < 120 )) || { echo "$label: сервер не ответил за 120 с"; cat "$WORK/server.log"; exit 1; }
    sleep 1
  done
}
