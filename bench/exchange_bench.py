"""Бенчмарк обмена каталогом: импорт и экспорт 100 тыс. товаров / 250 тыс. вариантов.

Запуск (отдельная база, не рабочая и не тестовая):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/megashop_bench_exchange \\
        .venv/bin/python bench/exchange_bench.py [--products 100000] [--baseline-rows 10000]

Каждая фаза идёт в своём подпроцессе, чтобы пиковая память (ru_maxrss) была её собственной:
create-all (всё новое, «всё или ничего»), export, update-all (все цены и остатки другие),
и на 10 тыс. строк — построчный путь django-import-export рядом с нашим импортом.
Итог — таблица: строк, секунд, строк/с, пиковая память процесса.

Режим --real: файл из настоящего каталога (bench/catalog_generate.py, 100 тыс. товаров /
250 тыс. вариантов, 34 столбца). Экспорт XLSX и CSV идёт из базы --source-url (копии
megashop_bench), импорт — в базу DATABASE_URL: её товары и варианты сначала удаляются
(TRUNCATE, справочники остаются), затем create-all (все строки новые) и update-all (у всех
вариантов другие цена и остаток). Базу megashop_bench бенчмарк не трогает:

    createdb -T megashop_bench megashop_bench_x10_src   # или pg_dump | pg_restore
    createdb -T megashop_bench megashop_bench_x10
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/megashop_bench_x10 .venv/bin/python \\
        bench/exchange_bench.py --real --source-url postgres://postgres@127.0.0.1:5432/megashop_bench_x10_src

--cpu-hog: на время каждой измеряемой фазы одно ядро занято пустым циклом (bench/cpu_hog.py) —
цель issue #31 «импорт 250 тыс. строк < 60 с при занятом втором ядре». --phases — только
перечисленные фазы (через запятую; подготовка reset и write-files идёт всегда, когда нужна):

    .venv/bin/python bench/exchange_bench.py --cpu-hog --phases import-create,export-xlsx,import-update
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from cpu_hog import cpu_hog  # bench/ — папка скрипта (и в sys.path у exchange_step)

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# DEBUG копит текст каждого запроса; Celery без брокера выполнял бы переиндексацию поиска в процессе.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
WORK = Path(tempfile.gettempdir()) / "megashop-exchange-bench"
HEADER = [
    "sku", "barcode", "variant_name", "slug", "name", "category", "brand", "description",
    "attr:color", "price:base", "old_price:base", "price:msk", "stock:msk-main", "stock:spb-main",
]  # fmt: skip


def setup_django():
    import django

    django.setup()


def peak_mb():
    """Пик памяти фазы: процесс и его дочерний процесс разбора листа (commerce.exchange.row_process).

    Сумма — верхняя граница: страницы, общие после fork, посчитаны дважды.
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def catalog_reset():
    """Пустой каталог со справочниками: регионы, прайс-листы, склады, категории, бренды, цвет."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE catalog_product, catalog_variant, catalog_category, catalog_brand, catalog_attribute, "
            "catalog_attributechoice, pricing_pricelist, inventory_warehouse, exchange_importjob CASCADE"
        )
    from commerce.catalog.models import Attribute, AttributeChoice, Brand, Category
    from commerce.inventory.models import Warehouse
    from commerce.pricing.models import PriceList
    from regions.models import Region

    msk, _ = Region.objects.get_or_create(code="msk", defaults={"name": "Москва", "is_default": True})
    spb, _ = Region.objects.get_or_create(code="spb", defaults={"name": "Санкт-Петербург"})
    PriceList.objects.create(code="base", name="Базовый")
    PriceList.objects.create(code="msk", name="Москва", region=msk)
    Warehouse.objects.create(code="msk-main", name="Москва", region=msk)
    Warehouse.objects.create(code="spb-main", name="Петербург", region=spb)
    for number in range(10):
        root = Category.add_root(name=f"Раздел {number}", slug=f"section-{number}")
        for child in range(10):
            root.add_child(name=f"Подраздел {number}.{child}", slug=f"sub-{number}-{child}")
        Category.objects.get(pk=root.pk)
    for number in range(50):
        Brand.objects.create(name=f"Бренд {number}", slug=f"brand-{number}")
    color = Attribute.objects.create(code="color", name="Цвет")
    for value in ("black", "white", "red"):
        AttributeChoice.objects.create(attribute=color, value=value, label=value)


def file_write(path, *, products, variant_counts=(2, 3, 2, 3, 2), price_shift=0, file_format="xlsx"):
    """Записать файл обмена: products товаров, 2–3 варианта у каждого (в среднем 2,5)."""
    from commerce.exchange.writers import table_writer

    rows = 0
    with open(path, "wb") as stream:
        writer = table_writer(stream, file_format=file_format)
        writer.sheet("catalog", HEADER)
        for number in range(products):
            section, sub = number % 10, (number // 10) % 10
            for variant in range(variant_counts[number % len(variant_counts)]):
                price = Decimal(1000 + number % 5000 + price_shift) + Decimal("0.50")
                writer.row([
                    f"SKU-{number:06d}-{variant}", None, f"Вариант {variant}", f"product-{number}", f"Товар {number}",
                    f"Раздел {section} / Подраздел {section}.{sub}", f"Бренд {number % 50}", "Описание товара",
                    ("black", "white", "red")[variant % 3], price, price + 100, price - 10,
                    (number + variant + price_shift) % 20, variant,
                ])  # fmt: skip
                rows += 1
        writer.close()
    return rows


def phase_import(path, *, chunk_rows):
    from django.contrib.auth import get_user_model
    from django.core.files import File

    from commerce.exchange import services
    from commerce.exchange.models import ImportJob, ImportStatus

    # Применение идёт от имени подтвердившего и сверяет его права с записями импорта.
    operator, _created = get_user_model().objects.get_or_create(
        username="bench-importer", defaults={"is_staff": True, "is_superuser": True, "email": "bench@example.ru"}
    )
    job = ImportJob(
        original_name=os.path.basename(path),
        file_format=path.rsplit(".", 1)[-1],
        status=ImportStatus.APPLYING,
        confirmed_by=operator,
    )
    with open(path, "rb") as stream:
        job.file.save(job.original_name, File(stream), save=False)
    job.save()
    cpu_before = cpu_seconds()
    started = time.monotonic()
    report = services.import_run(job=job, dry_run=False, chunk_rows=chunk_rows)
    seconds = time.monotonic() - started
    cpu = {key: round(value - cpu_before[key], 1) for key, value in cpu_seconds().items()}
    job.refresh_from_db()
    if job.status != ImportStatus.DONE:
        raise SystemExit(f"импорт не применён: {job.status} {job.errors[:3]} {job.error_message}")
    phases = {"catalog_refresh_seconds": round(report.refresh_seconds, 1), "cpu_seconds": cpu}
    return {"rows": report.rows_total, "seconds": seconds, "counts": report.counts, "phases": phases}


def cpu_seconds():
    """Процессорное время по участникам импорта: этот процесс, разбор листа (дочерние), сервер PostgreSQL.

    Сервер — процесс соединения (pg_backend_pid) на этой же машине, из /proc/<pid>/stat. Сумма
    против секунд фазы показывает, сколько ядер импорт занимает (и сколько ему нужно при занятом втором).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "python": own.ru_utime + own.ru_stime,
        "parser": children.ru_utime + children.ru_stime,
        "postgres": (int(fields[11]) + int(fields[12])) / ticks,
    }


def phase_export(path, *, file_format):
    from commerce.exchange import export

    started = time.monotonic()
    with open(path, "wb") as stream:
        rows = export.export_write(fileobj=stream, file_format=file_format)
    return {"rows": rows, "seconds": time.monotonic() - started, "bytes": os.path.getsize(path)}


def phase_baseline(rows):
    """Построчный путь django-import-export (VariantResource) против нашего на тех же строках."""
    import tablib
    from import_export import fields, resources, widgets

    from commerce.catalog.models import Category, Product, Variant

    class VariantResource(resources.ModelResource):
        """Вариант построчно: артикул, штрихкод, название, товар по slug (путь django-import-export по умолчанию)."""

        product = fields.Field(
            attribute="product", column_name="slug", widget=widgets.ForeignKeyWidget(Product, "slug")
        )

        class Meta:
            model = Variant
            fields = ("sku", "barcode", "name", "product")
            import_id_fields = ("sku",)
            skip_unchanged = True

    category = Category.objects.order_by("path").first()
    products = Product.objects.bulk_create(
        [
            Product(name=f"База {number}", slug=f"baseline-{number}", main_category=category)
            for number in range(rows // 2)
        ]
    )
    dataset = tablib.Dataset(headers=["sku", "barcode", "name", "slug"])
    for number in range(rows):
        dataset.append([f"BASE-{number:06d}", "", f"Вариант {number}", products[number // 2].slug])
    started = time.monotonic()
    result = VariantResource().import_data(dataset, dry_run=False, use_transactions=True)
    seconds = time.monotonic() - started
    if result.has_errors():
        raise SystemExit("построчный импорт django-import-export вернул ошибки")
    return {"rows": rows, "seconds": seconds}


NUMERIC_PREFIXES = {"price", "old_price", "stock"}


def real_target_reset():
    """Удалить товары и варианты в базе импорта (справочники остаются); megashop_bench — никогда."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if name == "megashop_bench" or "bench" not in name:
        raise SystemExit(f"база {name}: режим --real очищает каталог только в копии для бенчмарка")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE catalog_product, catalog_variant, exchange_importjob CASCADE")
        cursor.execute("ANALYZE")
    return {}


def real_update_write(source, target):
    """Сделать файл update-all из выгрузки: каждая цена base +7, каждый остаток первого склада +5."""
    from commerce.exchange.readers import workbook_open
    from commerce.exchange.writers import table_writer

    rows = 0
    with open(source, "rb") as stream, open(target, "wb") as output:
        workbook = workbook_open(stream, filename=source)
        sheet = workbook.sheet("catalog")
        writer = table_writer(output, file_format="xlsx")
        _number, header = next(sheet.rows)
        price = header.index("price:base")
        old_price = header.index("old_price:base")
        stock = next(index for index, title in enumerate(header) if title.startswith("stock:"))
        numeric = {
            index for index, title in enumerate(header) if title.split(":")[0] in {"price", "old_price", "stock"}
        }
        writer.sheet("catalog", header, numeric_columns=numeric)
        for _number, values in sheet.rows:
            values = values + [None] * (len(header) - len(values))
            if values[price] is not None:
                new_price = Decimal(str(values[price])) + 7
                values[price] = new_price
                if values[old_price] is not None and Decimal(str(values[old_price])) <= new_price:
                    values[old_price] = new_price + 100
            values[stock] = (values[stock] or 0) + 5
            writer.row(values)
            rows += 1
        writer.close()
    return {"rows": rows}


def real_phase(name, args):
    real = WORK / "real"
    if name == "export-xlsx":
        return phase_export(str(real / "create.xlsx"), file_format="xlsx")
    if name == "export-csv":
        return phase_export(str(real / "create.csv"), file_format="csv")
    if name == "write-update":
        return real_update_write(str(real / "create.xlsx"), str(real / "update.xlsx"))
    if name == "reset":
        return real_target_reset()
    if name == "import-create":
        return phase_import(str(real / "create.xlsx"), chunk_rows=args.chunk_rows)
    if name == "import-update":
        return phase_import(str(real / "update.xlsx"), chunk_rows=args.chunk_rows)
    raise SystemExit(f"неизвестная фаза {name}")


def real_main(args):
    (WORK / "real").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("MEDIA_ROOT", str(WORK / "media"))
    source = {**os.environ, "DATABASE_URL": args.source_url}
    plan = [
        ("export-xlsx", source), ("export-csv", source), ("write-update", source), ("reset", os.environ),
        ("import-create", os.environ), ("import-update", os.environ),
    ]  # fmt: skip
    for name, env in plan:
        command = [sys.executable, __file__, "--real", "--phase", name, "--chunk-rows", str(args.chunk_rows)]
        row = phase_process(command, env=env, hog=args.cpu_hog and name in MEASURED_PHASES)
        if "seconds" in row:
            phase_print(name, row, extra=f" {row.get('counts', '')} {row.get('phases', '')}")


# Фазы, которые измеряются (под --cpu-hog идут при занятом ядре); остальные — подготовка.
MEASURED_PHASES = {
    "import-create", "import-update", "import-csv-unchanged", "export-xlsx", "export-csv",
    "baseline-theirs", "baseline-ours",
}  # fmt: skip


def phase_process(command, *, env=None, hog=False):
    """Выполнить фазу отдельным процессом (с занятым ядром, если hog) и вернуть её итог JSON."""
    with cpu_hog(hog) as load:
        output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    row = json.loads(output.strip().splitlines()[-1])
    row["hog_cpu"] = load.cpu
    row["load"] = "/".join(f"{value:.2f}" for value in os.getloadavg())
    return row


def phase_print(name, row, *, extra=""):
    """Напечатать строку итога фазы: строки, секунды, строк/с, пик памяти, ядро нагрузки, нагрузка машины."""
    hog = "" if row.get("hog_cpu") is None else f" hog=cpu{row['hog_cpu']}"
    print(
        f"{name:22} rows={row['rows']:>7} seconds={row['seconds']:7.1f} "
        f"rows/s={row['rows'] / row['seconds']:9.0f} peak={row['peak_mb']:7.1f} MB{hog} load={row['load']}{extra}",
        flush=True,
    )


def phase(name, args):
    setup_django()
    if args.real:
        return real_phase(name, args)
    if name == "reset":
        catalog_reset()
        return {}
    if name == "write-files":
        create = file_write(WORK / "create.xlsx", products=args.products)
        file_write(WORK / "update.xlsx", products=args.products, price_shift=7)
        file_write(WORK / "baseline-ours.xlsx", products=args.baseline_rows // 2, variant_counts=(2,))
        file_write(WORK / "create.csv", products=args.products, file_format="csv")
        return {"rows": create}
    if name == "import-create":
        return phase_import(str(WORK / "create.xlsx"), chunk_rows=args.chunk_rows)
    if name == "import-update":
        return phase_import(str(WORK / "update.xlsx"), chunk_rows=args.chunk_rows)
    if name == "import-csv-unchanged":
        return phase_import(str(WORK / "create.csv"), chunk_rows=args.chunk_rows)
    if name == "export-xlsx":
        return phase_export(str(WORK / "export.xlsx"), file_format="xlsx")
    if name == "export-csv":
        return phase_export(str(WORK / "export.csv"), file_format="csv")
    if name == "baseline-theirs":
        return phase_baseline(args.baseline_rows)
    if name == "baseline-ours":
        return phase_import(str(WORK / "baseline-ours.xlsx"), chunk_rows=args.chunk_rows)
    raise SystemExit(f"неизвестная фаза {name}")


FULL_PLAN = (
    "reset", "write-files", "import-create", "export-xlsx", "export-csv", "import-update",
    "import-csv-unchanged", "reset", "baseline-theirs", "reset", "baseline-ours",
)  # fmt: skip


def plan_select(phases):
    """Вернуть план фаз: весь (phases пусто) или только названные с нужной им подготовкой.

    Импорт «всё новое» и базовая линия начинаются с пустого каталога (reset), файлы пишутся
    один раз в начале; порядок — как в полном плане (update-all идёт после create-all).
    """
    if not phases:
        return list(FULL_PLAN)
    wanted = [name.strip() for name in phases.split(",") if name.strip()]
    unknown = sorted(set(wanted) - set(FULL_PLAN))
    if unknown:
        raise SystemExit(f"неизвестные фазы: {', '.join(unknown)}")
    plan = ["reset", "write-files"]
    for name in FULL_PLAN[2:]:
        if name in wanted:
            if name.startswith("baseline-"):
                plan.append("reset")
            plan.append(name)
    return plan


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=10_000)
    parser.add_argument("--chunk-rows", type=int, default=5000)
    parser.add_argument("--phase")
    parser.add_argument("--real", action="store_true", help="файл из настоящего каталога (см. описание)")
    parser.add_argument("--source-url", help="база с каталогом для экспорта в режиме --real")
    parser.add_argument("--cpu-hog", action="store_true", help="занять одно ядро на время измеряемых фаз")
    parser.add_argument("--phases", help="только эти фазы, через запятую (например import-create,export-xlsx)")
    args = parser.parse_args()
    if args.phase:
        result = phase(args.phase, args)
        result["peak_mb"] = round(peak_mb(), 1)
        print(json.dumps(result, default=str))
        return
    if args.real:
        real_main(args)
        return
    WORK.mkdir(exist_ok=True)
    os.environ.setdefault("MEDIA_ROOT", str(WORK / "media"))
    results = {}
    for name in plan_select(args.phases):
        command = [sys.executable, __file__, "--phase", name, "--products", str(args.products)]
        command += ["--baseline-rows", str(args.baseline_rows), "--chunk-rows", str(args.chunk_rows)]
        results[name] = row = phase_process(command, hog=args.cpu_hog and name in MEASURED_PHASES)
        if "seconds" in row:
            phase_print(name, row)
    if "baseline-theirs" not in results or "baseline-ours" not in results:
        return
    theirs = results["baseline-theirs"]["rows"] / results["baseline-theirs"]["seconds"]
    ours = results["baseline-ours"]["rows"] / results["baseline-ours"]["seconds"]
    print(
        f"django-import-export default path: {theirs:.0f} rows/s; ours: {ours:.0f} rows/s; ratio {ours / theirs:.1f}x"
    )


if __name__ == "__main__":
    main()
