"""runserver `make run`: вывод кончается блоком «как войти», и дымовая проверка читает его так же."""

import importlib.util
import io
import json
import logging
import sys
from pathlib import Path

import pytest
from django.db.models.signals import post_migrate

from config.management.commands.runserver import RUN_NOTES_ENV, Command, migrate_if_needed

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def _smoke_console():
    """Загрузить scripts/smoke_console.py (и его smoke_http) как модули проверки."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        spec = importlib.util.spec_from_file_location("smoke_console", ROOT / "scripts" / "smoke_console.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "scripts"))


def _bound_output(monkeypatch, *, notes):
    monkeypatch.setenv(RUN_NOTES_ENV, json.dumps(notes))
    out = io.StringIO()
    command = Command(stdout=out)
    command.addr, command.protocol, command._raw_ipv6 = "127.0.0.1", "http", False
    command.on_bind(8123)
    return out.getvalue()


def test_runserver_output_ends_with_login_block_on_its_own_host_and_port(settings, monkeypatch):
    # given
    settings.MEGASHOP_SUPERUSER_PASSWORD = ""
    # when
    output = _bound_output(monkeypatch, notes={})
    # then
    lines = output.strip().splitlines()
    rules = [index for index, line in enumerate(lines) if line == "─" * 60]
    assert rules[-1] == len(lines) - 1, "блок — последнее, что напечатано"
    block = lines[rules[-2] : rules[-1] + 1]
    assert block[1] == "Админка:      http://127.0.0.1:8123/admin/"
    assert block[2].startswith("React-админка: http://127.0.0.1:8123/manage/")
    assert block[3] == "Логин:        admin"
    assert "показан при первом запуске" in block[4]
    assert "API:          http://127.0.0.1:8123/api/docs/" in block
    assert any("SMS" in line for line in block)
    assert any(line.startswith("1С (демо):") for line in block)


def test_smoke_reads_the_password_just_created_from_the_block(settings, monkeypatch, tmp_path):
    # given: первый запуск — наполнение создало пароли администратора и сотрудников
    settings.MEGASHOP_SUPERUSER_PASSWORD = ""
    notes = {"admin_password": "Fresh-Pa55_word", "staff_logins": ["editor", "merch"], "staff_password": "Staff-Pa55"}
    log = tmp_path / "server.log"
    log.write_text("Performing system checks...\n" + _bound_output(monkeypatch, notes=notes), encoding="utf-8")
    smoke_console = _smoke_console()
    # when
    block = smoke_console.login_block(log)
    # then
    assert block["Логин"] == "admin"
    assert block["Пароль"].split(" ", 1)[0] == "Fresh-Pa55_word"
    assert block["Сотрудники"] == "editor, merch — пароль Staff-Pa55"
    smoke_console.block_tail_check(log)


def test_smoke_notices_output_printed_after_the_block(settings, monkeypatch, tmp_path):
    log = tmp_path / "server.log"
    log.write_text(_bound_output(monkeypatch, notes={}) + "Ещё одна строка запуска\n", encoding="utf-8")
    smoke_console = _smoke_console()

    with pytest.raises(smoke_console.SmokeError, match="после блока"):
        smoke_console.block_tail_check(log)


def test_smoke_finds_the_code_the_console_sms_gateway_printed(settings, tmp_path):
    from accounts.services import phone_code_request

    # given: журнал сервера пишется в файл, как у `make run > server.log 2>&1`
    settings.SMS_BACKEND = "integrations.sms.backends.console.ConsoleSmsBackend"
    log = tmp_path / "server.log"
    handler = logging.FileHandler(log, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("integrations.sms").addHandler(handler)
    try:
        # when
        phone_code_request(phone="+79165550101", ip_address="127.0.0.1")
    finally:
        logging.getLogger("integrations.sms").removeHandler(handler)
        handler.close()
    code = _smoke_console().sms_code(log, phone="+79165550101", timeout=1)
    # then: код из журнала подтверждает вход
    from accounts.services import phone_code_confirm

    user, created = phone_code_confirm(phone="+79165550101", code=code, ip_address="127.0.0.1")
    assert created and user.phone == "+79165550101"


def test_demo_start_skips_migrate_when_nothing_is_unapplied():
    # given
    emitted = []

    def receiver(**kwargs):
        emitted.append(kwargs["app_config"].label)

    post_migrate.connect(receiver, weak=False)
    try:
        # when: все миграции тестовой базы применены
        migrate_if_needed(stdout=io.StringIO())
    finally:
        post_migrate.disconnect(receiver)
    # then: migrate не вызывался — сигналов post_migrate нет
    assert emitted == []
