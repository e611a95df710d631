#!/usr/bin/env bash
# Дымовая проверка встроенного варианта: запустить `make run` (SQLite, без Redis) на свободном
# порту, дождаться /api/health/, получить схему OpenAPI и страницу входа в админку, пройти весь
# путь покупателя и менеджера (scripts/smoke_journey.py: каталог, поиск, корзина, вход по
# телефону, оформление, тестовая оплата, блог, импорт образца, выгрузка, отчёт поиска),
# остановить сервер. Код выхода не 0 при любой ошибке.
set -euo pipefail
cd "$(dirname "$0")/.."

# Свободный порт на loopback: занятый порт означал бы, что проверяется чужой сервер.
PORT="${SMOKE_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "СМОУК: порт $PORT уже занят другим процессом"; exit 1
fi
WORK="$(mktemp -d)"
LOG="$WORK/server.log"
# Чистая SQLite-база во временной папке и никаких внешних сервисов.
export SQLITE_PATH="$WORK/db.sqlite3" MEDIA_ROOT="$WORK/media"
# Пароль администратора не задаётся: проверка берёт его из блока «как войти», как новичок.
# MEGASHOP_HOST/PORT снаружи (их экспортирует внешний `make smoke`) перебили бы PORT этого запуска.
unset DATABASE_URL REDIS_URL DJANGO_ENV DJANGO_SUPERUSER_PASSWORD MEGASHOP_HOST MEGASHOP_PORT

setsid make run PORT="$PORT" >"$LOG" 2>&1 &
SERVER_PID=$!
cleanup() {
  kill -- -"$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

BASE="http://127.0.0.1:$PORT"
started=$(date +%s)
until curl -fsS "$BASE/api/health/" >/dev/null 2>&1; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "СМОУК: сервер завершился до готовности; журнал:"; cat "$LOG"; exit 1
  fi
  if (( $(date +%s) - started > ${SMOKE_READY_SECONDS:-900} )); then
    echo "СМОУК: /api/health/ не ответил за ${SMOKE_READY_SECONDS:-900} с; журнал:"; tail -60 "$LOG"; exit 1
  fi
  sleep 1
done
echo "СМОУК: сервер готов за $(( $(date +%s) - started )) с"

check() {  # check PATH EXPECTED_TEXT
  local body
  body="$(curl -fsS "$BASE$1")" || { echo "СМОУК: $1 не ответил 200"; exit 1; }
  grep -q "$2" <<<"$body" || { echo "СМОУК: в ответе $1 нет «$2»"; exit 1; }
  echo "СМОУК: $1 — ok"
}
check /api/health/ '"status":"ok"'
check /api/schema/ 'openapi: 3'
check /admin/login/ 'csrfmiddlewaretoken'
python3 scripts/smoke_journey.py "$BASE" "$LOG" || { echo "СМОУК: журнал сервера:"; tail -60 "$LOG"; exit 1; }
# Задачи (eager Celery, django_tasks) не пишут INFO на каждый запуск: консоль — для людей.
if grep -E " INFO (celery|django_tasks)" "$LOG"; then echo "СМОУК: в консоли INFO-журналы задач"; exit 1; fi
echo "СМОУК: всё в порядке"
