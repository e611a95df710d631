"""Ожидание /api/health/ против настоящего HTTP-сервера и предварительные проверки сервера."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from installer.health import health_read, health_wait
from installer.plan import InstallerError
from installer.preflight import check_dns, check_os, check_ports, port_free, postgres_major


class _Health(BaseHTTPRequestHandler):
    answers = []

    def do_GET(self):
        status, body = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def health_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_port}/api/health/"
    server.shutdown()
    server.server_close()


def test_wait_until_the_shop_says_ok(health_server):
    _server, url = health_server
    _Health.answers = [(503, {"status": "down"}), (503, {"status": "down"}), (200, {"status": "ok", "services": {}})]
    sleeps = []
    body = health_wait(url, seconds=60, sleep=sleeps.append)
    assert body["status"] == "ok"
    assert len(sleeps) == 2


def test_wait_gives_up_with_the_last_answer(health_server):
    _server, url = health_server
    _Health.answers = [(503, {"status": "down", "services": {"database": {"status": "down"}}})]
    ticks = iter(range(100))
    with pytest.raises(InstallerError, match=r"код 503: .*database"):
        health_wait(url, seconds=3, sleep=lambda _s: None, clock=lambda: next(ticks))


def test_no_server_reads_as_zero():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert health_read(f"http://127.0.0.1:{port}/api/health/", timeout=1) == (0, None)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ('ID=debian\nVERSION_ID="12"\n', True),
        ('ID=debian\nVERSION_ID="13"\n', True),
        ('ID=ubuntu\nVERSION_ID="24.04"\n', True),
        ('ID=ubuntu\nVERSION_ID="20.04"\n', False),
        ('ID=centos\nVERSION_ID="9"\n', False),
    ],
)
def test_supported_systems(tmp_path, text, ok):
    path = tmp_path / "os-release"
    path.write_text(text)
    check = check_os(path)
    assert check.ok is ok
    if not ok:
        assert "не поддерживается" in check.text


def test_busy_port_is_reported_unless_it_is_ours():
    with socket.socket() as holder:
        holder.bind(("0.0.0.0", 0))  # noqa: S104
        holder.listen()
        port = holder.getsockname()[1]
        assert not port_free(port)
        assert not check_ports((port,)).ok
        assert "заняты другой программой" in check_ports((port,)).text
        assert check_ports((port,), ours=True).ok


def test_dns_must_point_here():
    def resolve(host, port, proto):
        return [(socket.AF_INET, socket.SOCK_STREAM, proto, "", ("203.0.113.7", port))]

    assert check_dns("shop.example.ru", resolve=resolve, addresses={"203.0.113.7"}).ok
    wrong = check_dns("shop.example.ru", resolve=resolve, addresses={"198.51.100.1"})
    assert not wrong.ok
    assert "--skip-dns" in wrong.text

    def missing(host, port, proto):
        raise socket.gaierror("no such host")

    assert "не находится в DNS" in check_dns("shop.example.ru", resolve=missing, addresses=set()).text


def test_postgres_version_parsing():
    assert postgres_major("psql (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)") == 15
    assert postgres_major("psql (PostgreSQL) 14.11 (Ubuntu 14.11-0ubuntu0.22.04.1)") == 14
    assert postgres_major("garbage") == 0
