"""Замер загрузки выгрузки 1С: сгенерировать import.xml и offers.xml и загрузить их, как задача обмена.

    .venv/bin/python bench/onec_bench.py --products 5000            # 5 тыс. товаров, 12,5 тыс. предложений
    .venv/bin/python bench/onec_bench.py --products 100000          # размер из issue 16

База — BENCH_DATABASE_URL (по умолчанию megashop_bench, создаётся, если её нет; каталоговые таблицы пополняются —
не направляйте на рабочую базу), очередь Celery — REDIS_URL (по умолчанию база Redis 13):
переиндексация поиска ставится задачами, как в работе, и во время загрузки не входит.
Печатает время каждого файла, скорость и пиковую память процесса.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from bench.run import database_create_if_missing  # noqa: E402 — корень проекта уже в sys.path

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_210" ВерсияСхемы="2.10">\n'
)


def generate(folder, *, products, variants_per_product=2.5, groups=200):
    """Записать import.xml (товары в группах, свойство-справочник) и offers.xml (варианты, цены, склады)."""
    import_path, offers_path = folder / "import.xml", folder / "offers.xml"
    with import_path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "<Классификатор><Ид>cls</Ид><Группы>\n")
        for group in range(groups):
            out.write(f"<Группа><Ид>g-{group}</Ид><Наименование>Группа {group}</Наименование></Группа>\n")
        out.write("</Группы><Свойства><Свойство><Ид>brand</Ид><Наименование>Бренд</Наименование>")
        out.write("<ТипЗначений>Справочник</ТипЗначений><ВариантыЗначений>")
        for brand in range(50):
            out.write(f"<Справочник><ИдЗначения>b-{brand}</ИдЗначения><Значение>Бренд {brand}</Значение></Справочник>")
        out.write("</ВариантыЗначений></Свойство></Свойства></Классификатор>\n")
        out.write('<Каталог СодержитТолькоИзменения="false"><Ид>cat</Ид><Товары>\n')
        for number in range(products):
            out.write(
                f"<Товар><Ид>p-{number}</Ид><Артикул>A-{number}</Артикул><Наименование>Товар {number}</Наименование>"
                f"<Группы><Ид>g-{number % groups}</Ид></Группы><Описание>Описание товара {number}</Описание>"
                f"<ЗначенияСвойств><ЗначенияСвойства><Ид>brand</Ид><Значение>b-{number % 50}</Значение>"
                "</ЗначенияСвойства></ЗначенияСвойств></Товар>\n"
            )
        out.write("</Товары></Каталог></КоммерческаяИнформация>\n")
    offers = 0
    with offers_path.open("w", encoding="utf-8") as out:
        out.write(HEADER + '<ПакетПредложений СодержитТолькоИзменения="false"><Ид>cat#</Ид>')
        out.write("<ТипыЦен><ТипЦены><Ид>retail</Ид><Наименование>Розничная</Наименование></ТипЦены></ТипыЦен>")
        out.write("<Склады><Склад><Ид>wh</Ид><Наименование>Основной</Наименование></Склад></Склады><Предложения>\n")
        total = int(products * variants_per_product)
        for index in range(total):
            number, variant = index % products, index // products
            out.write(
                f"<Предложение><Ид>p-{number}#v-{variant}</Ид><Наименование>Товар {number} ({variant})</Наименование>"
                "<ХарактеристикиТовара><ХарактеристикаТовара><Наименование>Размер</Наименование>"
                f"<Значение>{40 + variant}</Значение></ХарактеристикаТовара></ХарактеристикиТовара>"
                f"<Цены><Цена><ИдТипаЦены>retail</ИдТипаЦены><ЦенаЗаЕдиницу>{100 + number % 900}.00</ЦенаЗаЕдиницу>"
                f'</Цена></Цены><Склад ИдСклада="wh" КоличествоНаСкладе="{number % 7}"/></Предложение>\n'
            )
            offers += 1
        out.write("</Предложения></ПакетПредложений></КоммерческаяИнформация>\n")
    return import_path, offers_path, offers


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/megashop_bench"),
    )
    args = parser.parse_args(argv)
    database_create_if_missing(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    # Как в работе: переиндексация поиска после загрузки — задачи в очереди Celery (воркер их
    # выполнит потом), а не часть ответа 1С. Без Redis Celery выполнял бы их здесь же (eager).
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from commerce.catalog.models import Category
    from commerce.inventory.models import Warehouse
    from commerce.pricing.models import PriceList
    from integrations.core.models import Connection, SyncDirection, SyncRun
    from integrations.onec.importer import catalog_file_import
    from regions.models import Region

    region = Region.objects.first() or Region.objects.create(code="msk", name="Москва", is_default=True)
    if not PriceList.objects.filter(region__isnull=True).exists():
        PriceList.objects.create(code="base-1c", name="Базовый")
    warehouse = Warehouse.objects.first() or Warehouse.objects.create(code="main", name="Основной", region=region)
    base = PriceList.objects.filter(region__isnull=True).first()
    if not Category.objects.exists():
        Category.add_root(name="Каталог", slug="root")
    connection, _created = Connection.objects.get_or_create(
        code=f"1c-bench-{args.products}",
        defaults={
            "system": "onec",
            "enabled": True,
            "options": {
                "username": "bench",
                "price_types": {"retail": base.code},
                "warehouses": {"wh": warehouse.code},
            },
        },
    )
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        started = time.monotonic()
        import_path, offers_path, offers = generate(folder, products=args.products)
        print(f"генерация: {time.monotonic() - started:.1f} с, {offers} предложений")
        for path in (import_path, offers_path):
            run = SyncRun.objects.create(connection=connection, direction=SyncDirection.PULL)
            started = time.monotonic()
            catalog_file_import(connection=connection, run=run, path=path, folder=folder)
            seconds = time.monotonic() - started
            print(
                f"{path.name}: {path.stat().st_size / 1e6:.1f} МБ за {seconds:.1f} с; создано {run.created}, "
                f"обновлено {run.updated}, без изменений {run.unchanged}, ошибок {run.failed}"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"пиковая память процесса: {peak:.0f} МБ")


if __name__ == "__main__":
    main()
