"""Redis за Sentinel: настоящие primary, replica и три Sentinel; primary убивают под нагрузкой.

Кэш (django-redis SentinelClient) при ошибке Redis даёт промах — ответы из базы, без 500;
лимиты частоты не пропускают всех, а отвечают 503 temporarily_unavailable, пока Sentinel не
назначит новый primary, и после переключения снова считают.
"""

import signal
import subprocess
import time

import pytest
import requests

from tests.scaling import engines
from tests.scaling.conftest import node_env

pytestmark = [
    pytest.mark.postgres_only(reason="узел gunicorn с PostgreSQL и Redis за Sentinel"),
    pytest.mark.django_db,
]

PRIMARY_PORT = 16380
REPLICA_PORT = 16381
SENTINEL_PORTS = (16382, 16383, 16384)
NODE_PORT = 8153
MASTER = "mymaster"
TRACK_LIMIT = 3


def _redis_cli(port, *args):
    return subprocess.run(
        ["redis-cli", "-p", str(port), *args], capture_output=True, text=True, timeout=10
    ).stdout.strip()


def _master_port():
    answer = _redis_cli(SENTINEL_PORTS[0], "SENTINEL", "get-master-addr-by-name", MASTER).split()
    return int(answer[1]) if len(answer) == 2 else None


def _master_ports():
    """Вернуть множество портов primary, которые называют все Sentinel (после переключения — один)."""
    ports = set()
    for sentinel in SENTINEL_PORTS:
        answer = _redis_cli(sentinel, "SENTINEL", "get-master-addr-by-name", MASTER).split()
        ports.add(int(answer[1]) if len(answer) == 2 else None)
    return ports


def _wait(condition, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"не дождались: {what} за {timeout} с")


@pytest.fixture(scope="module")
def sentinel_group(scaling_base):
    ports = (PRIMARY_PORT, REPLICA_PORT, *SENTINEL_PORTS)
    assert all(engines.port_free(port) for port in ports), f"порты {ports} заняты"
    processes = {}
    try:
        processes["primary"] = engines.redis_start(scaling_base, port=PRIMARY_PORT)
        processes["replica"] = engines.redis_start(
            scaling_base, port=REPLICA_PORT, args=("--replicaof", "127.0.0.1", str(PRIMARY_PORT))
        )
        for port in SENTINEL_PORTS:
            conf = scaling_base / f"sentinel-{port}.conf"
            conf.write_text(
                f"port {port}\nbind 127.0.0.1\ndir {scaling_base}\n"
                f"sentinel monitor {MASTER} 127.0.0.1 {PRIMARY_PORT} 2\n"
                f"sentinel down-after-milliseconds {MASTER} 1000\n"
                f"sentinel failover-timeout {MASTER} 5000\n"
                f"sentinel parallel-syncs {MASTER} 1\n"
            )
            processes[f"sentinel-{port}"] = engines.redis_start(scaling_base, port=port, sentinel_conf=conf)
        _wait(
            lambda: "master_link_status:up" in _redis_cli(REPLICA_PORT, "INFO", "replication"),
            timeout=20,
            what="реплика Redis подключилась",
        )
        _wait(
            lambda: _redis_cli(SENTINEL_PORTS[0], "SENTINEL", "replicas", MASTER).count(str(REPLICA_PORT)) > 0,
            timeout=20,
            what="Sentinel увидел реплику",
        )
        yield processes
    finally:
        for process in processes.values():
            engines.process_stop(process)


@pytest.fixture(scope="module")
def sentinel_node(pg_pair, redis_server, sentinel_group, scaling_base):
    env = node_env(
        pg_pair,
        redis_server,
        REDIS_URL=f"redis://{MASTER}/0",
        REDIS_SENTINELS=",".join(f"127.0.0.1:{port}" for port in SENTINEL_PORTS),
        REDIS_SENTINEL_MASTER=MASTER,
        REDIS_SOCKET_TIMEOUT=0.5,
        ORDERS_TRACK_RATE=f"{TRACK_LIMIT}/hour",
    )
    with engines.GunicornNode(port=NODE_PORT, env=env, workers=1, log_dir=scaling_base) as node:
        yield node


def test_api_keeps_answering_and_limits_recover_when_the_redis_primary_dies(sentinel_group, sentinel_node):
    catalog = f"{sentinel_node.url}/api/v1/catalog/products/?page_size=5"
    track = f"{sentinel_node.url}/api/v1/orders/track/"
    track_params = {"number": "MS-000000", "phone": "+79990000000"}
    # given: каталог отвечает, кэш живёт на primary за Sentinel
    assert requests.get(catalog, headers={"X-Region": "msk"}, timeout=10).status_code == 200
    assert _master_port() == PRIMARY_PORT
    # when: primary убит посреди потока запросов
    statuses = [requests.get(catalog, headers={"X-Region": "msk"}, timeout=30).status_code for _ in range(5)]
    sentinel_group["primary"].send_signal(signal.SIGKILL)
    sentinel_group["primary"].wait(timeout=10)
    during = requests.get(track, params=track_params, timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _master_port() != REPLICA_PORT:
        statuses.append(requests.get(catalog, headers={"X-Region": "msk"}, timeout=30).status_code)
        time.sleep(0.1)
    statuses += [requests.get(catalog, headers={"X-Region": "msk"}, timeout=30).status_code for _ in range(5)]
    # then: Sentinel переключил primary на реплику, каталог ни разу не ответил ошибкой
    assert _master_port() == REPLICA_PORT
    assert set(statuses) == {200}, statuses
    # and: пока primary не было, лимит отвечал 503 в едином формате, а не 500 и не «пропустить всех»
    assert during.status_code == 503
    assert during.json()["error"]["code"] == "temporarily_unavailable"
    # and: после переключения лимит снова считает — на новом primary. Клиент спрашивает любой
    # Sentinel: переключение закончено, когда новый primary называют все, а не только первый.
    _wait(lambda: _master_ports() == {REPLICA_PORT}, timeout=30, what="все Sentinel называют новый primary")
    after = [requests.get(track, params=track_params, timeout=30).status_code for _ in range(TRACK_LIMIT + 1)]
    assert 429 not in after[:TRACK_LIMIT] and 503 not in after, after
    assert after[TRACK_LIMIT] == 429
