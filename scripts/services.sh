#!/usr/bin/env bash
# Проверить, что PostgreSQL и Redis отвечают, и запустить их, если они установлены, но стоят.
# Общий скрипт для `make test` и .ci/run. Если сервиса нет на машине — понятное сообщение
# и код 1: тесты никогда не откатываются молча на SQLite или кэш в памяти.
#
# Адреса берутся из DATABASE_URL и REDIS_URL (по умолчанию — стандартные локальные порты).
set -euo pipefail

DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/megashop}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"

# host:port из URL вида scheme://user:pass@host:port/path
url_host() { local rest="${1#*://}"; rest="${rest##*@}"; rest="${rest%%/*}"; echo "${rest%%:*}"; }
url_port() {
  local rest="${1#*://}"; rest="${rest##*@}"; rest="${rest%%/*}"
  if [[ "$rest" == *:* ]]; then echo "${rest##*:}"; else echo "$2"; fi
}
is_local() { [[ "$1" == "127.0.0.1" || "$1" == "localhost" || "$1" == "::1" ]]; }

port_open() {  # bash /dev/tcp: не нужен ни psql, ни redis-cli; не дольше 2 с
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

wait_for() {  # wait_for NAME HOST PORT SECONDS
  local i
  for ((i = 0; i < $4 * 2; i++)); do
    if port_open "$2" "$3"; then return 0; fi
    sleep 0.5
  done
  echo "ОШИБКА: $1 на $2:$3 не ответил за $4 с." >&2
  return 1
}

ensure_postgres() {
  local host port
  host="$(url_host "$DATABASE_URL")"; port="$(url_port "$DATABASE_URL" 5432)"
  if port_open "$host" "$port"; then echo "PostgreSQL: отвечает на $host:$port"; return 0; fi
  if ! is_local "$host"; then
    echo "ОШИБКА: PostgreSQL на $host:$port не отвечает (сервер не локальный — запустите его сами)." >&2
    return 1
  fi
  if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql/*/main >/dev/null 2>&1; then
    local version
    version="$(ls /etc/postgresql | sort -V | tail -1)"
    echo "PostgreSQL: запускаю кластер $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  elif command -v pg_ctl >/dev/null 2>&1 && [[ -n "${PGDATA:-}" ]]; then
    echo "PostgreSQL: запускаю pg_ctl -D $PGDATA"
    pg_ctl -D "$PGDATA" -l "${PGDATA}/server.log" start || true
  else
    cat >&2 <<MSG
ОШИБКА: PostgreSQL не установлен или не найден.
  Debian/Ubuntu: apt-get install postgresql    macOS: brew install postgresql@15
  Или укажите DATABASE_URL на работающий сервер (postgres://user:pass@host:5432/megashop).
MSG
    return 1
  fi
  wait_for PostgreSQL "$host" "$port" 30
  echo "PostgreSQL: запущен"
}

ensure_redis() {
  local host port
  host="$(url_host "$REDIS_URL")"; port="$(url_port "$REDIS_URL" 6379)"
  if port_open "$host" "$port"; then echo "Redis: отвечает на $host:$port"; return 0; fi
  if ! is_local "$host"; then
    echo "ОШИБКА: Redis на $host:$port не отвечает (сервер не локальный — запустите его сами)." >&2
    return 1
  fi
  if command -v redis-server >/dev/null 2>&1; then
    echo "Redis: запускаю redis-server на порту $port"
    local dir="${TMPDIR:-/tmp}/megashop-redis"; mkdir -p "$dir"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
      --dir "$dir" --logfile "$dir/redis.log"
  else
    cat >&2 <<MSG
ОШИБКА: Redis не установлен.
  Debian/Ubuntu: apt-get install redis-server    macOS: brew install redis
  Или укажите REDIS_URL на работающий сервер (redis://host:6379/0).
MSG
    return 1
  fi
  wait_for Redis "$host" "$port" 15
  echo "Redis: запущен"
}

case "${1:-ensure}" in
  ensure) ensure_postgres && ensure_redis ;;
  *) echo "использование: $0 [ensure]" >&2; exit 2 ;;
esac
