"""Импорт пересчитывает индексы фильтров и предложения только там, где изменилось то, из чего они строятся."""

import io
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection

from commerce.catalog.models import ProductCategoryIndex, ProductChoiceIndex, ProductOffer
from commerce.exchange import export, services
from commerce.exchange.models import ImportJob, ImportMode, ImportStatus
from tests.factories.exchange import import_apply, import_preview, xlsx_bytes

pytestmark = pytest.mark.django_db


def row_versions(table, product):
    """Вернуть ctid строк таблицы товара: перезаписанная (или удалённая и вставленная) строка получает новый."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ctid::text FROM {table} WHERE product_id = %s ORDER BY 1", [product.pk])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres_only(
    reason="строка «не переписана» видна только по ctid — физической версии строки PostgreSQL; "
    "в SQLite UPDATE сохраняет rowid, и перезапись не отличить"
)
def test_price_and_stock_import_refreshes_offers_and_leaves_filter_indexes_untouched(catalog):
    # given
    phone = catalog.phone_black
    categories = row_versions("catalog_productcategoryindex", phone)
    choices = row_versions("catalog_productchoiceindex", phone)
    assert categories and choices
    data = xlsx_bytes([["sku", "price:base", "price:msk", "stock:msk-1"], [phone.variant.sku, "21 000", "18 500", 0]])

    # when
    job = import_apply(data)

    # then: предложения пересчитаны, индексы категорий и значений не переписаны
    assert (job.status, job.rows_updated) == (ImportStatus.DONE, 1)
    msk = ProductOffer.objects.get(product=phone, region=catalog.msk)
    assert (msk.price, msk.in_stock, msk.available_quantity) == (Decimal("18500.00"), False, 0)
    assert ProductOffer.objects.get(product=phone, region=catalog.spb).price == Decimal("21000.00")
    assert row_versions("catalog_productcategoryindex", phone) == categories
    assert row_versions("catalog_productchoiceindex", phone) == choices


def test_category_and_attribute_import_refreshes_filter_indexes(catalog):
    # given: телефон в «Смартфонах», вариант чёрный
    phone = catalog.phone_black
    data = xlsx_bytes(
        [
            ["sku", "slug", "name", "category", "attr:color"],
            [phone.variant.sku, "phone-a", "Телефон А", "Электроника / Ноутбуки", "white"],
        ]
    )

    # when
    job = import_apply(data)

    # then: товар в «Ноутбуках» (и в «Электронике»), в фильтре — белый, не чёрный
    assert job.status == ImportStatus.DONE, job.errors
    categories = set(ProductCategoryIndex.objects.filter(product=phone).values_list("category_id", flat=True))
    assert categories == {catalog.electronics.pk, catalog.laptops.pk}
    choices = set(ProductChoiceIndex.objects.filter(product=phone).values_list("choice_id", flat=True))
    assert catalog.white.pk in choices
    assert catalog.black.pk not in choices


def test_foreign_key_violation_is_reported_on_its_row_not_at_commit(catalog, header, monkeypatch):
    # given: категорию «Ноутбуки» удалили после того, как импорт прочитал справочник
    from commerce.exchange.lookups import CatalogLookup

    real_find = CatalogLookup.category_find

    def stale_find(self, text):
        return 987654321 if "Ноутбуки" in text else real_find(self, text)

    monkeypatch.setattr(CatalogLookup, "category_find", stale_find)
    data = xlsx_bytes(
        [
            ["sku", "slug", "name", "category", "price:base"],
            ["GONE-1", "gone", "Пропавший", "Электроника / Ноутбуки", "100"],
            ["KEPT-1", "kept", "Оставшийся", "Электроника / Смартфоны", "200"],
        ]
    )

    # when: верные строки записываются, неверные — в отчёт
    job = import_apply(data, mode=ImportMode.SKIP_INVALID)

    # then: база отвергла строку 2 сразу (внешний ключ проверен в пачке, а не при COMMIT)
    assert job.status == ImportStatus.DONE
    assert (job.rows_created, job.rows_rejected) == (1, 1)
    assert [(error["row"], error["code"]) for error in job.errors] == [(2, "database_error")]
    assert ProductOffer.objects.filter(product__slug="kept").exists()
    assert not ProductOffer.objects.filter(product__slug="gone").exists()


@pytest.mark.parametrize(
    ("rows", "reindexed"),
    [
        # Цены и остатки в поиск не входят: переиндексации нет.
        ([["sku", "price:base", "stock:msk-1"], ["{sku}", "21 000", 3]], False),
        # Новое название товара — в поиске: товар переиндексируется.
        ([["sku", "slug", "name"], ["{sku}", "phone-a", "Телефон А Про"]], True),
    ],
)
def test_import_reindexes_search_only_for_products_whose_indexed_fields_changed(
    catalog, django_capture_on_commit_callbacks, rows, reindexed
):
    # given
    phone = catalog.phone_black
    sku = phone.variant.sku
    data = xlsx_bytes([[cell.format(sku=sku) if isinstance(cell, str) else cell for cell in row] for row in rows])
    job = import_preview(data)
    services.import_job_confirm(job=job, user=job.user, enqueue=False)

    # when
    with (
        mock.patch("commerce.search.tasks.search_products_reindex.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.import_run(job=ImportJob.objects.get(pk=job.pk), dry_run=False)

    # then
    assert ImportJob.objects.get(pk=job.pk).rows_updated == 1
    if reindexed:
        delay.assert_called_once_with([phone.pk])
    else:
        delay.assert_not_called()


SESSION_SETTINGS_SQL = "SELECT current_setting('jit'), current_setting('work_mem')"


def session_settings():
    with connection.cursor() as cursor:
        cursor.execute(SESSION_SETTINGS_SQL)
        return cursor.fetchone()


def settings_observer(prefix, seen):
    """Наблюдатель запросов: перед запросом, начинающимся с prefix, прочитать настройки сеанса в seen."""

    def observer(execute, sql, params, many, context):
        if sql.lstrip().startswith(prefix):
            with connection.connection.cursor() as raw:  # свой курсор: серверный курсор экспорта не трогаем
                raw.execute(SESSION_SETTINGS_SQL)
                seen.append(raw.fetchone())
        return execute(sql, params, many, context)

    return observer


@pytest.mark.postgres_only(reason="jit и work_mem — настройки планировщика PostgreSQL; в SQLite их нет")
@pytest.mark.django_db(transaction=True)  # SET LOCAL живёт до конца внешней транзакции — здесь её нет
def test_import_refreshes_offers_without_jit_and_leaves_session_settings_as_they_were(catalog):
    # given: настройки сеанса до импорта
    phone = catalog.phone_black
    before = session_settings()
    seen = []

    # when: наблюдатель читает настройки в момент пересчёта предложений
    with connection.execute_wrapper(settings_observer("WITH stock AS", seen)):
        job = import_apply(xlsx_bytes([["sku", "price:base"], [phone.variant.sku, "23 000"]]))

    # then: пересчёт шёл без JIT и с памятью сортировок обмена; после транзакции — снова как было
    assert job.status == ImportStatus.DONE
    assert seen == [("off", "64MB")]
    assert session_settings() == before


@pytest.mark.postgres_only(reason="jit и work_mem — настройки планировщика PostgreSQL; в SQLite их нет")
@pytest.mark.django_db(transaction=True)
def test_export_query_runs_without_jit_and_leaves_session_settings_as_they_were(catalog):
    before = session_settings()
    seen = []
    with connection.execute_wrapper(settings_observer("SELECT v.sku", seen)):
        rows = export.export_write(fileobj=io.BytesIO(), file_format="csv")

    assert rows > 0
    assert seen == [("off", "64MB")]
    assert session_settings() == before
