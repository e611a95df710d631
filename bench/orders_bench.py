"""Бенчмарк корзины и оформления: добавление в корзину и оформление заказа на большом каталоге.

Поднимает gunicorn с двумя воркерами только на 127.0.0.1, готовит данные через ORM
(остатки выбранных вариантов пополняются, корзины для оформления создаются заранее — по одной
на запрос), прогревает и печатает медиану, p95 и запросы в секунду по сценариям:

* ``add-to-cart`` — POST /api/v1/cart/lines/ без токена: новая анонимная корзина и строка;
* ``checkout`` — POST /api/v1/checkout/ готовой корзины из 2 строк с Idempotency-Key:
  блокировка остатков, резерв, снимок цен, история — то, что ограничивает оформлений в секунду.

После прогона созданные заказы отменяются сервисом истечения резервов (резерв снимается),
так что бенчмарк можно повторять. Каталог — из bench/catalog_generate.py (100 тыс. товаров).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/megashop_bench REDIS_URL=redis://127.0.0.1:6379/13 \
        .venv/bin/python bench/orders_bench.py
"""

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8766"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
HOT_VARIANTS = int(os.environ.get("BENCH_HOT_VARIANTS", "500"))
CHECKOUT_BODY = {
    "contact": {"name": "Бенчмарк", "phone": "+79160000000", "email": "bench@example.ru"},
    "delivery": {"method": "courier", "address": {"city": "Москва", "street": "Тверская", "house": "1"}},
    "payment_method": "online",
}


def prepare():
    """Выбрать варианты с ценой в регионе msk, пополнить их остатки, создать корзины для оформления."""
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from commerce.cart.models import Cart, CartLine
    from commerce.catalog.models import Variant
    from commerce.inventory.models import Warehouse
    from commerce.inventory.services import stock_set
    from regions.models import Region

    region = Region.objects.get(code="msk")
    warehouse = Warehouse.objects.filter(region=region, is_active=True).order_by("sort_order", "code").first()
    variant_ids = list(
        Variant.objects.filter(is_active=True, product__is_active=True, prices__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)
        .distinct()[:HOT_VARIANTS]
    )
    for variant_id in variant_ids:
        stock_set(variant=Variant(pk=variant_id), warehouse=warehouse, quantity=1_000_000)
    rng = random.Random(11)
    carts = Cart.objects.bulk_create(Cart(region=region) for _ in range(REQUESTS + 100))
    CartLine.objects.bulk_create(
        CartLine(cart=cart, variant_id=variant_id, quantity=1)
        for cart in carts
        for variant_id in rng.sample(variant_ids, 2)
    )
    return variant_ids, [cart.token for cart in carts]


def drive(requests_):
    """Выполнить запросы [(путь, тело, заголовки)] CONCURRENCY потоками; вернуть задержки (мс) и время."""
    latencies, lock, counter = [], threading.Lock(), iter(range(len(requests_)))

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        local = []
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            path, body, headers = requests_[index]
            started = time.perf_counter()
            connection.request("POST", path, body=json.dumps(body), headers=headers)
            response = connection.getresponse()
            payload = response.read()
            if response.status not in (200, 201):
                raise RuntimeError(f"{path}: HTTP {response.status} {payload[:200]!r}")
            local.append((time.perf_counter() - started) * 1000)
        connection.close()
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started


def report(name, latencies, elapsed):
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"{name:14} {statistics.median(latencies):12.1f} {p95:9.1f} {len(latencies) / elapsed:8.0f}")


def main():
    env = {**os.environ, "DEBUG": "false", "LOG_LEVEL": "WARNING", "ORDERS_NOTIFY_EMAIL": "false"}
    env["ORDERS_NOTIFY_SMS"] = "false"
    os.environ.update({key: env[key] for key in ("DEBUG", "LOG_LEVEL", "ORDERS_NOTIFY_EMAIL", "ORDERS_NOTIFY_SMS")})
    variant_ids, tokens = prepare()
    json_headers = {"Content-Type": "application/json", "X-Region": "msk"}
    rng = random.Random(5)
    add_requests = [
        ("/api/v1/cart/lines/", {"variant_id": rng.choice(variant_ids), "quantity": 1}, json_headers)
        for _ in range(REQUESTS)
    ]
    checkout_requests = [
        (
            "/api/v1/checkout/",
            CHECKOUT_BODY,
            {**json_headers, "X-Cart-Token": token, "Idempotency-Key": str(uuid.uuid4())},
        )
        for token in tokens
    ]
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--chdir",
            str(ROOT / "site"),
            "--log-level",
            "warning",
        ],
        env={**env, "PYTHONPATH": f"{ROOT}:{ROOT / 'site'}"},
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/api/health/")
                break
            except OSError:
                time.sleep(0.2)
        print(f"gunicorn 2 воркера, {CONCURRENCY} потоков, {REQUESTS} запросов на сценарий")
        print(f"{'сценарий':14} {'медиана, мс':>12} {'p95, мс':>9} {'запр/с':>8}")
        drive(add_requests[:100])  # прогрев
        report("add-to-cart", *drive(add_requests))
        drive(checkout_requests[:100])  # прогрев (корзины прогрева не повторяются)
        report("checkout", *drive(checkout_requests[100:]))
    finally:
        server.terminate()
        server.wait(timeout=10)
        cleanup()


def cleanup():
    """Снять резервы заказов бенчмарка и удалить его анонимные корзины."""
    from datetime import timedelta

    from django.utils import timezone

    from commerce.cart.models import Cart
    from commerce.orders.services import orders_reservations_expire

    while orders_reservations_expire(now=timezone.now() + timedelta(days=365)):
        pass
    Cart.objects.filter(user__isnull=True).delete()


if __name__ == "__main__":
    main()
