"""runserver `make run`: вывод кончается коротким блоком «как войти» с адресами на HOST:PORT."""

import io

from config.management.commands.runserver import Command


def test_runserver_output_ends_with_login_block_on_its_own_host_and_port(settings):
    # given
    settings.MEGASHOP_SUPERUSER_PASSWORD = ""
    out = io.StringIO()
    command = Command(stdout=out)
    command.addr, command.protocol, command._raw_ipv6 = "127.0.0.1", "http", False
    # when
    command.on_bind(8123)
    # then
    tail = out.getvalue().strip().splitlines()[-6:]
    assert tail[1] == "Админка:      http://127.0.0.1:8123/admin/"
    assert "admin" in tail[2]
    assert tail[3] == "API:          http://127.0.0.1:8123/api/docs/"
    assert "SMS" in tail[4]
