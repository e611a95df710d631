"""Фикстуры тестов «больше одной машины»: свои кластеры PostgreSQL (primary 5433 + потоковая
реплика 5434), свой Redis, узлы gunicorn (8150–8159), Varnish (8160–8169), moto S3 (8170–8179).

Схема основной базы не мигрируется заново (это минута): её копирует pg_dump из тестовой базы
pytest-django, которая к этому моменту уже создана; затем seed_demo кладёт демо-каталог, и
только потом pg_basebackup снимает реплику — она стартует с теми же данными.
"""

import subprocess

import pytest

from tests.scaling import engines

PRIMARY_PORT = 5433
REPLICA_PORT = 5434
REDIS_PORT = 16385
# Задержка применения WAL на реплике: отставание предсказуемо, тесты ждут его явно.
REPLICA_APPLY_DELAY_SECONDS = 2
ADMIN_PASSWORD = "scaling-admin-password"


# Движки тестов слушают постоянные порты, поэтому `make pytest` гоняет эту папку отдельным
# процессом без xdist (-n 0), а основной прогон — с --ignore=tests/scaling.


@pytest.fixture(scope="session")
def scaling_base():
    path = engines.base_dir_create()
    yield path
    engines.base_dir_remove(path)


def _skip_unless_ports_free(*ports):
    busy = [port for port in ports if not engines.port_free(port)]
    if busy:
        pytest.fail(f"порты {busy} заняты: остановите процессы прошлого прогона тестов масштабирования")


def _run_checked(command, **kwargs):
    result = subprocess.run(command, capture_output=True, **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{command[0]}: {result.stderr.decode(errors='replace')[-2000:]}")
    return result


@pytest.fixture(scope="session")
def pg_pair(scaling_base, django_db_setup, django_db_blocker, redis_server):
    """Основной кластер с демо-каталогом и его потоковая реплика с задержкой применения."""
    from tests.conftest import EMBEDDED_SESSION

    if EMBEDDED_SESSION:
        pytest.skip("нужен PostgreSQL: реплика — потоковая репликация PostgreSQL")
    if not engines.postgres_available():
        pytest.skip(f"нет initdb и pg_basebackup в {engines.PG_BIN} (пакет postgresql-15)")
    _skip_unless_ports_free(PRIMARY_PORT, REPLICA_PORT)
    from django.db import connection

    primary = engines.PgCluster(scaling_base, name="primary", port=PRIMARY_PORT)
    replica = engines.PgCluster(scaling_base, name="replica", port=REPLICA_PORT)
    try:
        primary.init_primary()
        primary.start()
        primary.sql("CREATE DATABASE megashop", database="postgres")
        # Тестовая база этого процесса pytest (django_db_setup уже подставил её имя).
        source = connection.settings_dict
        dump = _run_checked(
            [str(engines.PG_BIN / "pg_dump"), "-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432),
             "-U", source["USER"] or "postgres", "-Fc", source["NAME"]],
            env={"PGPASSWORD": source.get("PASSWORD") or "", "PATH": "/usr/bin"},
        ).stdout  # fmt: skip
        _run_checked(
            [str(engines.PG_BIN / "pg_restore"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres",
             "-d", "megashop", "--no-owner"],
            input=dump,
        )  # fmt: skip
        engines.manage(
            "seed_demo",
            env=engines.django_env(
                DATABASE_URL=primary.url(), REDIS_URL=redis_server, DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD
            ),
        )
        replica.init_replica(primary, apply_delay=f"{REPLICA_APPLY_DELAY_SECONDS}s")
        replica.start()
        yield primary, replica
    finally:
        replica.stop()
        primary.stop()


@pytest.fixture(scope="session")
def redis_server(scaling_base):
    """Свой redis-server для узлов: его можно очищать целиком, не трогая Redis других тестов."""
    _skip_unless_ports_free(REDIS_PORT)
    process = engines.redis_start(scaling_base, port=REDIS_PORT)
    yield f"redis://127.0.0.1:{REDIS_PORT}/0"
    engines.process_stop(process)


def node_env(pg_pair, redis_server, **overrides):
    primary, _replica = pg_pair
    return engines.django_env(**{"DATABASE_URL": primary.url(), "REDIS_URL": redis_server, **overrides})


NODE_A_PORT = 8150
NODE_B_PORT = 8151
VARNISH_PORT = 8160
VARNISH_ADMIN_PORT = 8161
# Потолок отслеживания заказа на узлах: маленький, чтобы тест двух узлов упёрся в него быстро.
TRACK_RATE_PER_WINDOW = 3


def web_env(pg_pair, redis_server):
    """Окружение двух узлов за Varnish: общий PostgreSQL и Redis, CDN-заголовки и сброс."""
    return node_env(
        pg_pair,
        redis_server,
        CDN_S_MAXAGE=60,
        CDN_STALE_WHILE_REVALIDATE=30,
        CDN_PURGE_VARNISH_URL=f"http://127.0.0.1:{VARNISH_PORT}",
        CDN_PURGE_BASE_URL=f"http://127.0.0.1:{VARNISH_PORT}",
        # Окно в час, а не в минуту: смена окна посреди теста сбросила бы счётчик.
        ORDERS_TRACK_RATE=f"{TRACK_RATE_PER_WINDOW}/hour",
    )


@pytest.fixture(scope="session")
def web_nodes(pg_pair, redis_server, scaling_base):
    """Два узла gunicorn на разных портах с общими PostgreSQL и Redis."""
    env = web_env(pg_pair, redis_server)
    node_a = engines.GunicornNode(port=NODE_A_PORT, env=env, workers=1, log_dir=scaling_base)
    node_b = engines.GunicornNode(port=NODE_B_PORT, env=env, workers=1, log_dir=scaling_base)
    try:
        node_a.start()
        node_b.start()
        yield node_a, node_b
    finally:
        node_b.stop()
        node_a.stop()


@pytest.fixture(scope="session")
def varnish(web_nodes, scaling_base):
    """Varnish из пакетов Debian перед узлом A, с VCL из deploy/varnish/megashop.vcl."""
    import shutil
    import string

    if shutil.which("varnishd") is None:
        pytest.skip("нет varnishd: apt-get install -y varnish (Varnish из пакетов Debian)")
    _skip_unless_ports_free(VARNISH_PORT, VARNISH_ADMIN_PORT)
    node_a, _node_b = web_nodes
    template = (engines.ROOT / "deploy" / "varnish" / "megashop.vcl").read_text()
    vcl = scaling_base / "megashop.vcl"
    vcl.write_text(
        string.Template(template).safe_substitute(BACKEND_HOST="127.0.0.1", BACKEND_PORT=str(node_a.port), PURGE_ACL="")
    )
    process = subprocess.Popen(
        ["varnishd", "-F", "-j", "none", "-a", f"127.0.0.1:{VARNISH_PORT}", "-T", f"127.0.0.1:{VARNISH_ADMIN_PORT}",
         "-f", str(vcl), "-n", str(scaling_base / "varnish"), "-s", "malloc,64m"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        engines.port_wait(VARNISH_PORT)
        yield f"http://127.0.0.1:{VARNISH_PORT}"
    finally:
        engines.process_stop(process)


def shell_run(env, script):
    """Выполнить код в `manage.py shell` узла (правка каталога «из админки» другого процесса)."""
    return engines.manage("shell", "-c", script, env=env)
