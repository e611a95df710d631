"""Outbox: воркер, убитый SIGKILL посреди доставки, ничего не теряет и не дублирует у получателя."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection as db_connection

from integrations.core.models import Delivery, DeliveryState, OutboxEvent
from integrations.core.outbox import outbox_event_add
from tests.factories.integrations import ConnectionFactory
from tests.integrations.core.receiver import FakeReceiver
from tests.integrations.core.test_outbox import wait_until

ROOT = Path(__file__).resolve().parents[3]
WORKER_COMMAND = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "integrations", "--pool", "solo"]


def _worker_environment():
    """Окружение воркера-подпроцесса: та же тестовая база и та же база Redis (брокер), короткая аренда."""
    number = int(re.search(r"/(\d+)$", django_settings.REDIS_URL).group(1))
    # settings.py прибавляет к номеру базы Redis 1 в тестах — даём номер на единицу меньше.
    redis_url = re.sub(r"/\d+$", f"/{(number - 1) % 16}", django_settings.REDIS_URL)
    database = db_connection.settings_dict
    environment = {key: value for key, value in os.environ.items() if key != "PYTEST_XDIST_WORKER"}
    environment.update(
        DJANGO_ENV="test",
        DATABASE_URL=(
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        REDIS_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        INTEGRATIONS_SECRET_KEY=django_settings.INTEGRATIONS_SECRET_KEY,
        INTEGRATIONS_DELIVERY_LEASE_SECONDS="2",
        INTEGRATIONS_RETRY_BASE_SECONDS="0.2",
        INTEGRATIONS_RETRY_CAP_SECONDS="1",
        PYTHONPATH=f"{ROOT / 'site'}:{ROOT}",
    )
    return environment


def _worker_start():
    return subprocess.Popen(
        [*WORKER_COMMAND, "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "warning"],
        cwd=ROOT / "site",
        env=_worker_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def broker_mode(settings):
    """Ставить задачи в Redis (их возьмёт воркер-подпроцесс), а не выполнять в процессе теста."""
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


def _beat():
    from integrations.core.tasks import outbox_deliver

    outbox_deliver.delay()


@pytest.mark.redis_only(reason="воркер-подпроцесс берёт задачи из брокера Redis")
@pytest.mark.postgres_only(reason="воркер-подпроцесс подключается к той же базе по сети")
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_delivery_loses_and_duplicates_nothing(httpserver, broker_mode):
    # given: получатель тормозит на первом запросе, у заказов по два события
    receiver = FakeReceiver()
    receiver.slow_first = 4
    httpserver.expect_request("/hook").respond_with_handler(receiver)
    connection = ConnectionFactory(base_url=httpserver.url_for("/hook"))
    for order_id in (1, 2, 3):
        outbox_event_add(kind="order.created", object_type="order", object_id=order_id, payload={})
        outbox_event_add(kind="order.paid", object_type="order", object_id=order_id, payload={})
    worker = _worker_start()
    try:
        # when: воркер взял доставку и ждёт ответа — убиваем его
        _beat()
        # Запас времени — на старт воркера на занятой машине (2 ядра, параллельные тесты).
        assert receiver.slow_started.wait(120), "воркер не начал доставку"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        # новый воркер; аренда доставки убитого истекает через 2 с
        worker = _worker_start()
        delivered = wait_until(
            lambda: not Delivery.objects.exclude(state=DeliveryState.DELIVERED).exists(), timeout=180, tick=_beat
        )
    finally:
        worker.kill()
        worker.wait(10)

    # then: все события у получателя ровно по разу, по порядку внутри заказа; убитая доставка повторилась
    assert delivered
    keys = [
        str(key) for key in Delivery.objects.filter(connection=connection).values_list("idempotency_key", flat=True)
    ]
    assert sorted(receiver.applied_keys("/hook")) == sorted(keys)
    assert max(receiver.requests.values()) == 2
    events = list(OutboxEvent.objects.order_by("pk"))
    received = receiver.applied_event_ids("/hook")
    for order_id in ("1", "2", "3"):
        expected = [str(event.uuid) for event in events if event.object_id == order_id]
        assert [event_id for event_id in received if event_id in expected] == expected
