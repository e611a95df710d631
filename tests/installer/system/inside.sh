#!/bin/bash
# Выполняется внутри контейнера make install-test (юнит megashop-install-test.service).
set -uo pipefail
exec > >(tee /srv/out/inside.log) 2>&1
started=$(date +%s)
step() { echo; echo "--- $* ($(( $(date +%s) - started )) с)"; }
fail() { echo "ПРОВАЛ: $*"; echo FAIL > /srv/out/result; exit 1; }
units="megashop-web megashop-worker@default megashop-worker@imports megashop-worker@integrations \
megashop-worker@notifications megashop-beat megashop-backup.timer nginx postgresql redis-server"
flags=(--non-interactive --domain shop.test --admin-email admin@shop.test --tls internal
       --offline --wheelhouse /srv/wheels --skip-dns)
health() {
    curl -fsS --max-time 10 --cacert /etc/megashop/tls/cert.pem --resolve shop.test:443:127.0.0.1 \
        https://shop.test/api/health/
}
check_units() {
    for unit in $units; do
        state=$(systemctl is-active "$unit")
        echo "$unit: $state"
        [ "$state" = active ] || { journalctl -u "$unit" -n 40 --no-pager; fail "$unit не active"; }
    done
}

step "Распаковка выпуска $VERSION и проверка суммы"
mkdir -p /root/release && cd /root/release || fail "нет /root/release"
cp /srv/dist/megashop-"$VERSION".tar.gz* . && sha256sum -c megashop-"$VERSION".tar.gz.sha256 || fail "сумма"
tar -xzf megashop-"$VERSION".tar.gz && cd megashop-"$VERSION" || fail "распаковка"

step "./install.sh (первая установка)"
./install.sh "${flags[@]}" || fail "install.sh"
check_units
step "HTTPS health через nginx"
health || fail "health"
echo
curl -skI --resolve shop.test:443:127.0.0.1 https://shop.test/api/health/ | grep -i '^server:' | tee /tmp/server
grep -qi '^server: nginx\s*$' /tmp/server || fail "заголовок Server с версией"
curl -fsS -o /dev/null -w 'admin login page: %{http_code}\n' --cacert /etc/megashop/tls/cert.pem \
    --resolve shop.test:443:127.0.0.1 https://shop.test/django-admin/login/ || fail "страница входа"

step "Повторный запуск ничего не меняет"
./install.sh "${flags[@]}" | tee /tmp/rerun || fail "повторный install.sh"
grep -q "Изменено: ничего" /tmp/rerun || fail "повторный запуск что-то изменил"
check_units

step "Резервная копия"
./install.sh backup || fail "backup"
ls -l /var/backups/megashop/

step "Восстановление: изменить данные, вернуть копию, данные прежние"
sql() { runuser -u postgres -- psql -XtAq -d megashop -c "$1"; }
sql "UPDATE accounts_user SET first_name = 'после-копии' WHERE username = 'admin'" || fail "изменение данных"
[ "$(sql "SELECT first_name FROM accounts_user WHERE username = 'admin'")" = "после-копии" ] || fail "данные не изменились"
copy=$(ls -t /var/backups/megashop/megashop-*.tar | head -1)
./install.sh restore "$copy" --yes || fail "restore"
[ "$(sql "SELECT first_name FROM accounts_user WHERE username = 'admin'")" != "после-копии" ] || fail "restore не вернул данные"
check_units
health || fail "health после восстановления"
echo

step "Обновление до $VERSION-next"
/opt/megashop/current/install.sh upgrade /srv/dist/megashop-"$VERSION"-next.tar.gz --offline --wheelhouse /srv/wheels \
    || fail "upgrade"
[ "$(readlink /opt/megashop/current)" = "/opt/megashop/releases/$VERSION-next" ] || fail "current не переключён"
check_units
health || fail "health после обновления"
echo
/opt/megashop/current/install.sh status || fail "status"

step "Готово"
echo PASS > /srv/out/result
