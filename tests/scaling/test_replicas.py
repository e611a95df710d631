"""Чтения каталога с настоящей потоковой реплики PostgreSQL (pg_basebackup + primary_conninfo).

Реплика применяет WAL с задержкой (recovery_min_apply_delay), поэтому «реплика ещё не видит
правку» — детерминированное состояние, а не гонка. Маркер того, кто ответил, — сами данные:
название товара, изменённое на основной базе, реплика показывает прежним.
"""

import json
import time

import pytest
import requests

from tests.scaling import engines
from tests.scaling.conftest import node_env

# django_db: схему для кластеров берёт pg_dump из тестовой базы pytest-django (см. conftest).
pytestmark = [
    pytest.mark.postgres_only(reason="потоковая реплика PostgreSQL и узлы gunicorn"),
    pytest.mark.django_db,
]

REPLICA_NODE_PORT = 8152


def _first_product(primary):
    product_id, slug = primary.sql("SELECT id, slug FROM catalog_product WHERE is_active ORDER BY id LIMIT 1").split(
        "|"
    )
    return int(product_id), slug


def replica_catch_up(primary, replica, *, timeout=20.0):
    """Записать «пульс» на основной базе и дождаться, пока реплика его применит.

    Отставание считается от времени последней применённой транзакции: после простоя основной
    базы оно велико (это осторожно — чтения идут на основную), а у живого магазина записи идут
    постоянно. Пульс делает тест таким живым магазином.
    """
    primary.sql(
        "CREATE TABLE IF NOT EXISTS scaling_heartbeat (at timestamptz); INSERT INTO scaling_heartbeat VALUES (now())"
    )
    lsn = primary.sql("SELECT pg_current_wal_lsn()")
    _wait_replica_has(replica, f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn", "t", timeout=timeout)


def _wait_replica_has(replica, statement, expected, *, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if replica.sql(statement) == expected:
            return
        time.sleep(0.2)
    raise AssertionError(f"реплика не догнала основную базу за {timeout} с")


@pytest.fixture(scope="module")
def replica_node(pg_pair, redis_server, scaling_base):
    _primary, replica = pg_pair
    env = node_env(
        pg_pair,
        redis_server,
        DATABASE_REPLICA_URL=replica.url(),
        # Большой предел: в этом узле каталог читается с реплики и при её отставании.
        DATABASE_REPLICA_MAX_LAG_SECONDS=60,
        # Без кэша ответов: иначе ответ пришёл бы из Redis, а не из базы.
        CATALOG_CACHE_TIMEOUT=0,
    )
    with engines.GunicornNode(port=REPLICA_NODE_PORT, env=env, workers=1, log_dir=scaling_base) as node:
        yield node


def test_catalog_reads_are_served_by_the_replica_until_it_catches_up(pg_pair, replica_node):
    # given: товар с одинаковым названием на основной базе и на реплике
    primary, replica = pg_pair
    product_id, slug = _first_product(primary)
    name_statement = f"SELECT name FROM catalog_product WHERE id = {product_id}"
    replica_catch_up(primary, replica)
    url = f"{replica_node.url}/api/v1/catalog/products/{slug}/"
    # when: название меняется на основной базе
    primary.sql(f"UPDATE catalog_product SET name = 'Со склада реплики' WHERE id = {product_id}")
    stale = requests.get(url, headers={"X-Region": "msk"}, timeout=10)
    # then: карточку отдала реплика — прежнее название, хотя основная база уже другая
    assert stale.status_code == 200
    assert stale.json()["name"] != "Со склада реплики"
    assert primary.sql(name_statement) == "Со склада реплики"
    # and: когда реплика применила WAL, карточка показывает новое название
    _wait_replica_has(replica, name_statement, "Со склада реплики")
    fresh = requests.get(url, headers={"X-Region": "msk"}, timeout=10)
    assert fresh.json()["name"] == "Со склада реплики"


def test_replica_connections_come_from_the_catalog_node(pg_pair, replica_node):
    # given
    primary, replica = pg_pair
    _product_id, slug = _first_product(primary)
    # when
    assert requests.get(f"{replica_node.url}/api/v1/catalog/products/{slug}/", timeout=10).status_code == 200
    # then: узел держит соединение с репликой (CONN_MAX_AGE), его видно в pg_stat_activity
    clients = replica.sql(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = 'megashop' AND backend_type = 'client backend'"
    )
    assert int(clients) >= 1


ROUTER_SCRIPT = """
import json, time
from django.conf import settings
from django.db import connections, transaction
from commerce.catalog.models import Product
from core.db_routing import replica_for_read, replica_lag, replica_lag_cache_clear, replica_reads_allowed

PRODUCT_ID = {product_id}
result = {{}}
# 1. Реплика догнала основную базу, предел большой: чтение, транзакция, запись, снова чтение.
with replica_reads_allowed():
    result["alias_before_write"] = replica_for_read()
    result["orm_before_write"] = Product.objects.get(pk=PRODUCT_ID).name
    with transaction.atomic():
        result["alias_in_transaction"] = replica_for_read()
    Product.objects.filter(pk=PRODUCT_ID).update(name="После своей записи")
    result["alias_after_write"] = replica_for_read()
    result["orm_after_write"] = Product.objects.get(pk=PRODUCT_ID).name
result["alias_outside"] = replica_for_read()
# 2. Запись прямо на основной базе: реплика получила WAL, но применит его через 2 с; предел 0.5 с.
settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0.5
replica_lag_cache_clear()
with connections["default"].cursor() as cursor:
    cursor.execute("UPDATE catalog_product SET name = %s WHERE id = %s", ["Свежая запись", PRODUCT_ID])
time.sleep(0.3)
with replica_reads_allowed():
    result["lag"] = replica_lag("replica")
    result["alias_lagging"] = replica_for_read()
    result["orm_lagging"] = Product.objects.get(pk=PRODUCT_ID).name
print("RESULT" + json.dumps(result))
"""


@pytest.fixture(scope="module")
def router_results(pg_pair, redis_server):
    """Прогнать сценарии маршрутизатора в процессе приложения с настроенной репликой."""
    primary, replica = pg_pair
    product_id, _slug = _first_product(primary)
    replica_catch_up(primary, replica)
    before = primary.sql(f"SELECT name FROM catalog_product WHERE id = {product_id}")
    env = node_env(pg_pair, redis_server, DATABASE_REPLICA_URL=replica.url(), DATABASE_REPLICA_MAX_LAG_SECONDS=60)
    output = engines.manage("shell", "-c", ROUTER_SCRIPT.format(product_id=product_id), env=env)
    return before, json.loads(output.split("RESULT", 1)[1])


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(router_results):
    before, result = router_results
    # then: до записи — реплика; в транзакции и после записи — основная база и своя запись видна
    assert result["alias_before_write"] == "replica"
    assert result["orm_before_write"] == before
    assert result["alias_in_transaction"] is None
    assert result["alias_after_write"] is None
    assert result["orm_after_write"] == "После своей записи"
    # and: вне помеченного представления реплика не используется вовсе
    assert result["alias_outside"] is None


def test_replica_lagging_over_the_limit_sends_reads_to_the_primary(router_results):
    _before, result = router_results
    # then: отставание измерено, и чтение ушло на основную базу — видно свежее название
    assert result["lag"] > 0.5
    assert result["alias_lagging"] is None
    assert result["orm_lagging"] == "Свежая запись"
