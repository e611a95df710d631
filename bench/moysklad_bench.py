"""Замер полной синхронизации МоегоСклада: фейковый аккаунт с задержкой ответов, наш настоящий клиент.

    .venv/bin/python bench/moysklad_bench.py                          # 20 000 товаров (размер из issue 17)
    .venv/bin/python bench/moysklad_bench.py --products 2000 --latency 0.1

Фейк (tests/integrations/moysklad/fake_moysklad.py) слушает 127.0.0.1:8110 и держит те же
ограничения, что МойСклад: 45 запросов за 3 с, 5 одновременно, gzip, листание по 1000; каждый
ответ задерживается на ``--latency`` секунд (по умолчанию 0.25 — сеть до МоегоСклада и его
сборка страницы). Лимит запросов — наш общий в Redis (REDIS_URL, по умолчанию база 1).
База — BENCH_DATABASE_URL (по умолчанию megashop_moysklad_bench, создаётся, если её нет; таблицы каталога пополняются —
не направляйте на рабочую базу). Печатает запросы (всего, 429, скачанные картинки) и время
полного прохода, повторного полного прохода и инкрементального после правки 1 % товаров.
Задачи переиндексации поиска ставятся в брокер и в конце удаляются: их делает воркер, не проход.
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from bench.run import database_create_if_missing  # noqa: E402 — корень проекта уже в sys.path


def account_fill(fake, *, products, variant_share, images_share, folders):
    """Наполнить фейк: группы, товары (часть — с тремя модификациями и картинкой), остатки на двух складах."""
    from tests.integrations.moysklad.fake_moysklad import png_bytes

    folder_ids = [fake.folder_add(f"Группа {number}") for number in range(folders)]
    product_ids = []
    for number in range(products):
        with_variants = number % round(1 / variant_share) == 0 if variant_share else False
        with_image = number % round(1 / images_share) == 0 if images_share else False
        product_id = fake.product_add(
            f"Товар {number}",
            folder=folder_ids[number % folders],
            article=f"A-{number}",
            code=f"{number:06d}",
            prices={fake.retail: 10000 + number % 90000, fake.wholesale: 9000 + number % 80000},
            weight=0.5,
            images=[png_bytes((number % 256, number // 256 % 256, 7))] if with_image else (),
        )
        product_ids.append(product_id)
        if with_variants:
            for size in ("S", "M", "L"):
                variant_id = fake.variant_add(product_id, characteristics={"Размер": size}, code=f"{number:06d}-{size}")
                fake.stock_set(variant_id, fake.store_main, number % 7)
        else:
            fake.stock_set(product_id, fake.store_main, number % 9)
            fake.stock_set(product_id, fake.store_spb, number % 4)
    fake.pending_hooks.clear()
    fake.age(seconds=86400)  # заведены вчера: инкрементальный проход их не перечитывает
    return product_ids


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--latency", type=float, default=0.25, help="задержка каждого ответа фейка, с")
    parser.add_argument("--variant-share", type=float, default=0.25, help="доля товаров с тремя модификациями")
    parser.add_argument("--images-share", type=float, default=0.05, help="доля товаров с картинкой")
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/megashop_moysklad_bench"),
    )
    args = parser.parse_args(argv)
    database_create_if_missing(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
    os.environ.setdefault("INTEGRATIONS_SECRET_KEY", "x" * 43 + "=")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import logging

    import django
    from cryptography.fernet import Fernet

    if os.environ["INTEGRATIONS_SECRET_KEY"] == "x" * 43 + "=":
        os.environ["INTEGRATIONS_SECRET_KEY"] = Fernet.generate_key().decode()
    django.setup()
    logging.disable(logging.INFO)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from werkzeug.serving import make_server

    from commerce.catalog.models import Category
    from commerce.inventory.models import Warehouse
    from commerce.pricing.models import PriceList
    from config.celery import app
    from integrations.core.models import Connection
    from integrations.core.sync import sync_run
    from regions.models import Region
    from tests.integrations.moysklad.fake_moysklad import TOKEN, FakeMoysklad

    fake = FakeMoysklad(base=f"http://127.0.0.1:{args.port}/api/remap/1.2", id_seed=int(time.time()))
    server = make_server("127.0.0.1", args.port, lambda environ, start: _wsgi(fake, environ, start), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    started = time.monotonic()
    product_ids = account_fill(
        fake,
        products=args.products,
        variant_share=args.variant_share,
        images_share=args.images_share,
        folders=max(args.products // 100, 1),
    )
    print(f"аккаунт: {args.products} товаров, {len(fake.entities['variant'])} модификаций, "
          f"{len(fake.image_files)} картинок — за {time.monotonic() - started:.1f} с")  # fmt: skip

    region = Region.objects.first() or Region.objects.create(code="msk", name="Москва", is_default=True)
    base = PriceList.objects.filter(region__isnull=True).first() or PriceList.objects.create(
        code="base", name="Базовый"
    )
    for code, name in (("ms-main", "Основной склад"), ("ms-spb", "Склад СПб")):
        Warehouse.objects.get_or_create(code=code, defaults={"name": name, "region": region})
    if not Category.objects.exists():
        Category.add_root(name="Каталог", slug="root")
    code = f"ms-bench-{args.products}-{int(time.time())}"
    connection = Connection(
        system="moysklad",
        code=code,
        base_url=fake.base,
        enabled=False,  # события магазина бенчу не нужны
        options={
            "organization": fake.organization,
            "price_types": {"Цена продажи": base.code},
            "stores": {fake.store_main: "ms-main", fake.store_spb: "ms-spb"},
        },
    )
    connection.secrets_update({"token": TOKEN})
    connection.save()

    def measure(title, *, full):
        fake.requests.clear()
        throttled, downloads = fake.throttled, fake.downloads
        began = time.monotonic()
        run = sync_run(connection=connection, full=full)
        seconds = time.monotonic() - began
        print(
            f"{title}: {seconds:.1f} с ({seconds / 60:.1f} мин); запросов {len(fake.requests)}, "
            f"из них 429 — {fake.throttled - throttled}, картинок скачано {fake.downloads - downloads}, "
            f"наибольшая параллельность {fake.max_in_flight}; создано {run.created}, обновлено {run.updated}, "
            f"без изменений {run.unchanged}, пропущено {run.skipped}, ошибок {run.failed}"
        )
        return run

    measure("полный проход", full=True)
    measure("повторный полный проход", full=True)
    for product_id in product_ids[::100]:
        fake.change("product", product_id, prices={fake.retail: 77700})
    measure("инкрементальный после правки 1 % товаров", full=False)
    server.shutdown()
    try:
        app.control.purge()  # задачи переиндексации поиска: их делает воркер, не проход
    except Exception as error:  # noqa: BLE001 — замер уже напечатан; брокер мог быть недоступен
        print(f"очередь задач не очищена: {error}")


def _wsgi(fake, environ, start_response):
    from werkzeug import Request

    return fake(Request(environ))(environ, start_response)


if __name__ == "__main__":
    main()
