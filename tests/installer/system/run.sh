#!/usr/bin/env bash
# make install-test: настоящая установка native с systemd внутри Debian 12, загруженного systemd-nspawn.
#
# 1) образ Debian 12 (debootstrap, кэшируется в $CACHE/bookworm; Debian 13 — SUITE ниже) с пакетами из APT_PACKAGES —
#    внутри контейнера сети нет (--private-network), поэтому apt-пакеты ставятся заранее;
# 2) колёса Python для --offline --wheelhouse (pip wheel, кэш по хешу requirements.txt);
# 3) архив выпуска из HEAD (make release) и второй — «следующая версия» для upgrade;
# 4) контейнер загружается (--boot --ephemeral), юнит megashop-install-test выполняет inside.sh:
#    install → is-active всех юнитов → HTTPS health → повторный запуск без изменений → backup →
#    upgrade → health, пишет журнал в $WORK/out и выключает контейнер.
# Нужны root, debootstrap и systemd-container. Выход 0 — всё прошло.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../../.." && pwd -P)
CACHE=${MEGASHOP_INSTALL_TEST_CACHE:-/var/cache/megashop-install-test}
MIRROR=${MEGASHOP_INSTALL_TEST_MIRROR:-http://deb.debian.org/debian}
TIMEOUT=${MEGASHOP_INSTALL_TEST_TIMEOUT:-1800}
# Debian 12 (bookworm) по умолчанию; MEGASHOP_INSTALL_TEST_SUITE=trixie — Debian 13.
SUITE=${MEGASHOP_INSTALL_TEST_SUITE:-bookworm}
APT_PACKAGES="postgresql redis-server nginx python3-venv openssl ca-certificates curl"
base=$CACHE/$SUITE
started=$(date +%s)
say() { echo "=== $* ($(( $(date +%s) - started )) с)"; }

[ "$(id -u)" = 0 ] || { echo "Нужен root." >&2; exit 2; }
for tool in debootstrap systemd-nspawn; do
    command -v "$tool" >/dev/null || { echo "Нет $tool: apt-get install -y debootstrap systemd-container" >&2; exit 2; }
done
mkdir -p "$CACHE"

if [ ! -f "$base/.megashop-ready" ]; then
    say "Образ Debian $SUITE (debootstrap)"
    rm -rf "$base.partial"
    debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,python3,ca-certificates,iproute2 \
        "$SUITE" "$base.partial" "$MIRROR"
    printf '#!/bin/sh\nexit 101\n' > "$base.partial/usr/sbin/policy-rc.d"
    chmod +x "$base.partial/usr/sbin/policy-rc.d"
    chroot "$base.partial" sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends $APT_PACKAGES" </dev/null
    rm -f "$base.partial/usr/sbin/policy-rc.d"
    # На настоящем сервере nginx ставит сам установщик после проверки портов; здесь он в образе
    # заранее (в контейнере нет сети) и не должен занимать 80/443 до установки.
    chroot "$base.partial" systemctl disable nginx
    # pg_createcluster в chroot видит PostgreSQL машины на 5432 и берёт 5433; на сервере — 5432.
    sed -i 's/^port = 5433/port = 5432/' "$base.partial"/etc/postgresql/*/main/postgresql.conf
    touch "$base.partial/.megashop-ready"
    rm -rf "$base"
    mv "$base.partial" "$base"
fi

wheels=$CACHE/wheels-$SUITE
hash=$(sha256sum "$repo/requirements.txt" | cut -c1-16)
if [ "$(cat "$wheels/.hash" 2>/dev/null)" != "$hash" ]; then
    # Колёса собирает Python самого образа (Debian 12 — 3.11.2): маркеры окружения зависят от
    # точной версии (redis на 3.11.2 тянет async-timeout, на 3.11.7 — нет).
    say "Колёса Python (pip wheel в образе)"
    mkdir -p "$wheels" "$base/srv/wheels"
    cp "$repo/requirements.txt" "$base/tmp/requirements.txt"
    # Корневые сертификаты машины (в том числе корпоративного прокси, если он есть) — для pip в образе.
    cp /etc/ssl/certs/ca-certificates.crt "$base/tmp/host-ca.crt"
    mount --bind "$wheels" "$base/srv/wheels"
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root PIP_CERT=/tmp/host-ca.crt chroot "$base" sh -c \
        'python3 -m venv /tmp/wheel-venv && /tmp/wheel-venv/bin/pip wheel -q --disable-pip-version-check \
         --find-links /srv/wheels -r /tmp/requirements.txt -w /srv/wheels' </dev/null || { umount "$base/srv/wheels"; exit 1; }
    umount "$base/srv/wheels"
    rm -rf "$base/tmp/wheel-venv" "$base/tmp/requirements.txt" "$base/tmp/host-ca.crt"
    echo "$hash" > "$wheels/.hash"
fi

work=$(mktemp -d /var/tmp/megashop-install-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/dist" "$work/out" "$work/next"
say "Архивы выпуска"
"$repo/install.sh" release --output "$work/dist" >/dev/null
archive=$(ls "$work/dist"/megashop-*.tar.gz)
version=$(basename "$archive" .tar.gz); version=${version#megashop-}
# «Следующая версия»: тот же код с другим VERSION — проверка нового каталога выпуска и переключения.
tar -xzf "$archive" -C "$work/next"
echo "$version-next" > "$work/next/megashop-$version/VERSION"
mv "$work/next/megashop-$version" "$work/next/megashop-$version-next"
tar -czf "$work/dist/megashop-$version-next.tar.gz" -C "$work/next" "megashop-$version-next"
(cd "$work/dist" && sha256sum "megashop-$version-next.tar.gz" > "megashop-$version-next.tar.gz.sha256")
cp "$here/inside.sh" "$work/dist/inside.sh"

say "Загрузка контейнера и установка внутри"
unit=$work/megashop-install-test.service
cat > "$unit" <<UNIT
[Unit]
Description=Megashop install test
After=multi-user.target
[Service]
Type=oneshot
Environment=VERSION=$version
ExecStart=/bin/bash /srv/dist/inside.sh
ExecStopPost=/bin/systemctl poweroff --no-block
StandardOutput=journal+console
TimeoutStartSec=$TIMEOUT
UNIT
set +e
timeout "$TIMEOUT" systemd-nspawn -q --register=no --keep-unit --ephemeral -D "$base" --boot \
    --private-network --hostname=megashop-test \
    --bind-ro="$wheels:/srv/wheels" --bind-ro="$work/dist:/srv/dist" --bind="$work/out:/srv/out" \
    --bind-ro="$unit:/etc/systemd/system/megashop-install-test.service" \
    systemd.wants=megashop-install-test.service > "$work/out/console.log" 2>&1
code=$?
set -e
cat "$work/out/inside.log" 2>/dev/null || tail -40 "$work/out/console.log"
mkdir -p "$repo/.megashop"
cp "$work/out/"*.log "$repo/.megashop/" 2>/dev/null || true
if [ "$(cat "$work/out/result" 2>/dev/null)" = "PASS" ]; then
    say "make install-test пройден"
    exit 0
fi
say "make install-test НЕ пройден (nspawn: $code); журналы — .megashop/inside.log, .megashop/console.log"
exit 1
