"""Два обмена одного подключения сразу и загрузка настоящим воркером Celery."""

import pytest

from commerce.catalog.models import Product, Variant
from commerce.pricing.models import VariantPrice
from integrations.core.models import ExternalId, ExternalKind, SyncDirection, SyncRun
from integrations.onec.importer import catalog_file_import
from tests.commerce.orders.helpers import run_concurrently
from tests.integrations.onec.conftest import catalog_zip, data
from tests.integrations.onec.test_catalog_exchange import variant_by_external

pytestmark = pytest.mark.django_db(transaction=True)


def load(connection, folder, name):
    run = SyncRun.objects.create(connection=connection, direction=SyncDirection.PULL)
    catalog_file_import(connection=connection, run=run, path=folder / name, folder=folder)
    run.save()
    return run


@pytest.mark.postgres_only(reason="загрузки одного подключения ждут друг друга на блокировке строки подключения")
def test_two_imports_of_one_connection_at_once_wait_for_each_other_and_never_mix(onec_connection, tmp_path):
    # given: две выгрузки одного каталога с разными ценами
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        (folder / "import.xml").write_bytes(data("import.xml"))
    (first / "offers.xml").write_bytes(data("offers.xml"))
    (second / "offers.xml").write_bytes(
        data("offers.xml").replace(b"4990.00", b"4490.00").replace(b"5190.50", b"5690.50")
    )

    # when: обе загрузки идут одновременно в двух потоках (товаров ещё нет — без блокировки обе создали бы их)
    runs = run_concurrently(
        [
            lambda: (load(onec_connection, first, "import.xml"), load(onec_connection, first, "offers.xml")),
            lambda: (load(onec_connection, second, "import.xml"), load(onec_connection, second, "offers.xml")),
        ]
    )

    # then: обе закончились, товары созданы один раз, цены одной выгрузки, а не смесь
    assert not [result for result in runs if isinstance(result, BaseException)], runs
    assert sum(pair[0].created for pair in runs) > 0
    mapped = ExternalId.objects.filter(connection=onec_connection, kind=ExternalKind.PRODUCT)
    assert mapped.count() == 4
    assert Product.objects.filter(name="Кеды белые").count() == 1
    assert Variant.objects.filter(sku="SH-100").count() == 1
    size_38 = variant_by_external(onec_connection, "p-100#var-38")
    size_39 = variant_by_external(onec_connection, "p-100#var-39")
    pair = (
        str(VariantPrice.objects.get(variant=size_38, price_list__code="base").price),
        str(VariantPrice.objects.get(variant=size_39, price_list__code="base").price),
    )
    assert pair in {("4990.00", "5190.50"), ("4490.00", "5690.50")}


@pytest.mark.redis_only(reason="настоящий воркер Celery берёт задачи загрузки из брокера Redis")
def test_import_runs_on_a_real_worker_while_1c_polls_progress(fake_onec, onec_connection, integrations_worker):
    assert fake_onec.checkauth()[0] == "success"
    fake_onec.init()
    fake_onec.upload("v8_2C7E_125d5b.zip", catalog_zip())

    for name in ("import.xml", "offers.xml"):
        lines, calls = fake_onec.import_file(name, max_calls=600)
        assert lines[0] == "success" and calls >= 2, (name, lines)
    assert VariantPrice.objects.filter(variant=variant_by_external(onec_connection, "p-100#var-38")).exists()
