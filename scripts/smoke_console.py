"""Чтение консоли `make run` так, как её читает разработчик: блок «как войти» и коды из SMS.

Шлюз SMS разработки (integrations.sms.backends.console) печатает каждое SMS в журнал сервера
строкой «SMS для <телефон> (…): <текст>», а блок в конце запуска называет адрес админки,
логин и пароль. Других каналов у проверки нет: ни тестовых маршрутов, ни чтения базы.
"""

import re
import time

from smoke_http import SmokeError

SMS_LINE = re.compile(r"SMS для (?P<phone>\+\d+) \([^)]*\): .*?(?P<code>\b\d{6}\b)")
# Журнал работы сервера после запуска: запросы runserver («"GET /api/health/ HTTP/1.1" 200 15») и
# записи logging («2026-12-07 17:55:10,774 WARNING regions.geoip: …») — их пишут запросы, не запуск.
RUNTIME_LINE = re.compile(r'"[A-Z]+ /\S* HTTP/1\.[01]" \d{3}|^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ')
BLOCK_LINE = re.compile(r"^(?P<key>[А-ЯЁA-Z][^:]{1,30}):\s+(?P<value>.+)$")


def log_read(path):
    with open(path, encoding="utf-8", errors="replace") as log:
        return log.read()


def login_block(path):
    """Вернуть последний блок «как войти» из журнала: {строка до двоеточия: значение}."""
    lines = log_read(path).splitlines()
    rules = [index for index, line in enumerate(lines) if line.startswith("─" * 20)]
    if len(rules) < 2:
        raise SmokeError("в выводе make run нет блока «как войти» между линиями «────»")
    block = {}
    for line in lines[rules[-2] + 1 : rules[-1]]:
        match = BLOCK_LINE.match(line.strip())
        if match:
            block[match["key"].strip()] = match["value"].strip()
    return block


def block_tail_check(path):
    """Проверить, что блок «как войти» — последнее, что напечатал запуск: дальше только журнал работы."""
    lines = [line for line in log_read(path).splitlines() if line.strip()]
    last_rule = max(index for index, line in enumerate(lines) if line.startswith("─" * 20))
    after = lines[last_rule + 1 :]
    strays = [line for line in after if not RUNTIME_LINE.search(line)]
    if strays:
        raise SmokeError(f"после блока «как войти» напечатано ещё: {strays[:3]}")


def sms_code(path, *, phone, timeout=30):
    """Дождаться в журнале SMS на номер phone и вернуть код из последнего такого SMS."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        codes = [match["code"] for match in SMS_LINE.finditer(log_read(path)) if match["phone"] == phone]
        if codes:
            return codes[-1]
        time.sleep(0.2)
    raise SmokeError(f"за {timeout} с в журнале сервера не появилось SMS на {phone}")
