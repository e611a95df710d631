"""Очереди Celery по ролям: уведомление доходит, пока воркер импорта занят длинной задачей.

Два настоящих воркера в своих процессах (как megashop-worker@imports и @notifications
установщика), брокер — Redis этого набора тестов, база — основной кластер.
"""

import json
import subprocess
import sys

import pytest

from tests.scaling import engines
from tests.scaling.conftest import node_env

pytestmark = [
    pytest.mark.postgres_only(reason="воркеры Celery с PostgreSQL и Redis"),
    pytest.mark.django_db,
]

SCRIPT = """
import json, time
import redis
from django.conf import settings
from config.celery import app
from commerce.orders.models import OrderNotification, OrderStatusChange
from commerce.orders.tasks import order_status_notify
from regions.models import Region
from tests.factories.orders import OrderFactory
from tests.scaling.busy_tasks import RELEASE_KEY, STARTED_KEY, scaling_busy

client = redis.Redis.from_url(settings.REDIS_URL)
client.delete(STARTED_KEY, RELEASE_KEY)
result = {}
busy = scaling_busy.delay(60)
result["busy_queue"] = app.amqp.router.route({}, scaling_busy.name)["queue"].name
deadline = time.monotonic() + 30
while not client.get(STARTED_KEY) and time.monotonic() < deadline:
    time.sleep(0.1)
result["import_started"] = bool(client.get(STARTED_KEY))
order = OrderFactory(region=Region.objects.get(code="msk"))
change = OrderStatusChange.objects.create(order=order, from_status="", to_status="new")
notify = order_status_notify.delay(change.pk)
result["notify_queue"] = app.amqp.router.route({}, order_status_notify.name)["queue"].name
result["sent"] = notify.get(timeout=30)
result["recorded"] = sorted(OrderNotification.objects.filter(change=change).values_list("channel", flat=True))
result["import_still_running"] = not busy.ready()
client.set(RELEASE_KEY, 1)
result["import_result"] = busy.get(timeout=30)
print("RESULT" + json.dumps(result))
"""


def _worker(env, queue, log_dir):
    log = open(log_dir / f"worker-{queue}.log", "ab")  # noqa: SIM115 — закрывается вместе с процессом
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "--workdir", str(engines.ROOT / "site"), "-A", "config", "worker",
         "-Q", queue, "-P", "solo", "-n", f"{queue}@scaling", "--include", "tests.scaling.busy_tasks",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        env=env, stdout=log, stderr=log, cwd=engines.ROOT,
    )  # fmt: skip


def test_notification_is_delivered_while_the_import_worker_is_busy(pg_pair, redis_server, scaling_base):
    # given: по воркеру на очередь imports и notifications
    env = node_env(pg_pair, redis_server, CELERY_TASK_ALWAYS_EAGER="false")
    workers = [_worker(env, queue, scaling_base) for queue in ("imports", "notifications")]
    try:
        # when: длинный импорт занял воркер imports, и тут заказ меняет статус
        output = engines.manage("shell", "-c", SCRIPT, env=env, timeout=180)
    finally:
        for worker in workers:
            engines.process_stop(worker)
    result = json.loads(output.split("RESULT", 1)[1])
    # then: задачи ушли в свои очереди, письмо и SMS ушли, пока импорт ещё шёл
    assert result["busy_queue"] == "imports"
    assert result["notify_queue"] == "notifications"
    assert result["import_started"] is True
    assert sorted(result["sent"]) == ["email", "sms"]
    assert result["recorded"] == ["email", "sms"]
    assert result["import_still_running"] is True
    assert result["import_result"] == "released"
