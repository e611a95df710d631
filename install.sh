#!/bin/sh
# Megashop: установка, обновление и резервные копии одной командой.
#   sudo ./install.sh                  — установить (вопросы с ответами по умолчанию в скобках)
#   sudo ./install.sh --help           — все подкоманды и флаги
# Сам установщик — пакет installer/ на стандартной библиотеке Python 3.11+: ему не нужно
# ничего, кроме python3, который есть в Debian 12/13 и Ubuntu 22.04/24.04.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
# Первый найденный из python3.13 … python3: на Ubuntu 22.04 системный python3 — 3.10, а python3.11
# ставится рядом (apt-get install python3.11 python3.11-venv).
python=${MEGASHOP_PYTHON:-}
if [ -z "$python" ]; then
    for candidate in python3.13 python3.12 python3.11 python3; do
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
            python=$candidate
            break
        fi
    done
    python=${python:-python3}
fi
if ! command -v "$python" >/dev/null 2>&1; then
    echo "Нужен python3 версии 3.11 или новее: apt-get install -y python3" >&2
    exit 2
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Нужен python3 версии 3.11 или новее, а установлен $("$python" -V 2>&1)." >&2
    exit 2
fi
# -P: не брать модули из текущего каталога — только установщик рядом с этим файлом.
PYTHONPATH="$here" exec "$python" -P -m installer "$@"
