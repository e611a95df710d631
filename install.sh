#!/bin/sh
# Megashop: установка, обновление и резервные копии одной командой.
#   sudo ./install.sh                  — установить (вопросы с ответами по умолчанию в скобках)
#   sudo ./install.sh --help           — все подкоманды и флаги
# Сам установщик — пакет installer/ на стандартной библиотеке Python 3.11+: ему не нужно
# ничего, кроме python3, который есть в Debian 12/13 и Ubuntu 22.04/24.04.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
python=${MEGASHOP_PYTHON:-python3}
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
