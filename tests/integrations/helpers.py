"""Помощники тестов интеграций: заказ через оформление, проходы доставки outbox, ожидание воркера.

Один источник для всех коннекторов: amoCRM, ERPNext и МойСклад проверяют доставку заказов
одними и теми же шагами, а тесты с настоящим воркером — одним способом ждать результата.
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings as django_settings
from django.db import connection as db_connection

from commerce.catalog.models import Variant
from commerce.orders.models import Order
from integrations.core.models import Delivery, DeliveryState
from integrations.core.outbox import deliveries_claim, delivery_send
from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request

ROOT = Path(__file__).resolve().parents[2]
WORKER_COMMAND = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "integrations", "--pool", "solo"]


def retries_fast(settings, *, http_backoff_cap=None):
    """Короткие паузы повторов доставки и HTTP-клиента (тесты ждут секунды, а не часы).

    ``http_backoff_cap`` — потолок паузы HTTP-клиента; None — как в настройках.
    """
    settings.INTEGRATIONS_RETRY_BASE_SECONDS = 0.2
    settings.INTEGRATIONS_RETRY_CAP_SECONDS = 1.0
    settings.INTEGRATIONS_HTTP_BACKOFF_BASE = 0.05
    if http_backoff_cap is not None:
        settings.INTEGRATIONS_HTTP_BACKOFF_CAP = http_backoff_cap


def order_place(shop, lines, **contact):
    """Оформить заказ через API: ``lines`` — [(вариант или его артикул, количество)].

    ``contact`` меняет имя, телефон или e-mail покупателя в теле оформления.
    """
    variants = [
        (Variant.objects.get(sku=variant) if isinstance(variant, str) else variant, quantity)
        for variant, quantity in lines
    ]
    cart = cart_create(region=shop.msk, lines=variants)
    payload = checkout_payload()
    payload["contact"] = {**payload["contact"], **contact}
    response = checkout_request(cart=cart, payload=payload)
    assert response.status_code == 201, response.content
    return Order.objects.get(number=response.json()["number"])


def deliver_all(connection):
    """Отправить все доставки подключения, которые можно взять сейчас (как проход воркера); вернуть исходы."""
    outcomes = []
    while True:
        claimed = [item for item in deliveries_claim(limit=50) if item.connection_id == connection.pk]
        if not claimed:
            return outcomes
        outcomes.extend(delivery_send(item) for item in claimed)


def redeliver(connection):
    """Повторить уже доставленные события (доставка «хотя бы раз» прислала их снова)."""
    Delivery.objects.filter(connection=connection).update(state=DeliveryState.PENDING, locked_until=None)
    return deliver_all(connection)


def all_delivered():
    """Все доставки всех подключений доставлены."""
    return not Delivery.objects.exclude(state=DeliveryState.DELIVERED).exists()


def outbox_beat():
    """Поставить в брокер проход доставки outbox (как это делает beat)."""
    from integrations.core.tasks import outbox_deliver

    outbox_deliver.delay()


def wait_until(condition, *, timeout, tick=outbox_beat):
    """Ждать условия, вызывая ``tick`` (по умолчанию — проход доставки, как beat) каждые 0.3 с."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if tick is not None:
            tick()
        time.sleep(0.3)
    return condition()


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


def worker_process_start():
    """Запустить воркер Celery отдельным процессом (его можно убить SIGKILL посреди доставки)."""
    return subprocess.Popen(
        [*WORKER_COMMAND, "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "warning"],
        cwd=ROOT / "site",
        env=_worker_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def delivered_after_worker_killed(started, *, timeout=180):
    """Убить воркер SIGKILL посреди доставки, запустить новый и дождаться, что доставлено всё.

    ``started`` — threading.Event фейка: воркер отправил запрос, и получатель его держит. Аренда
    доставки убитого воркера истекает через 2 с (INTEGRATIONS_DELIVERY_LEASE_SECONDS), после чего
    доставку берёт новый воркер. Вернуть True, если всё доставлено за ``timeout`` секунд.
    """
    worker = worker_process_start()
    try:
        outbox_beat()
        # Запас времени — на старт воркера на занятой машине (2 ядра, параллельные тесты).
        assert started.wait(120), "воркер не начал доставку"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        worker = worker_process_start()
        return wait_until(all_delivered, timeout=timeout)
    finally:
        worker.kill()
        worker.wait(10)
