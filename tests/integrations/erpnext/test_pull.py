"""Загрузка из ERPNext: полная и инкрементальная, шаблоны с вариантами, цены, остатки, удалённые товары."""

import json
from decimal import Decimal

import pytest

from commerce.catalog.models import Category, Product, ProductImage, Variant, VariantAttributeValue
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice
from integrations.core.models import Connection, SyncState
from integrations.core.sync import sync_run
from tests.commerce.orders.helpers import run_concurrently
from tests.integrations.erpnext.conftest import catalog_seed
from tests.integrations.erpnext.fake_frappe import png_bytes

pytestmark = pytest.mark.django_db


def _variant(sku):
    return Variant.objects.select_related("product").get(sku=sku)


def _price(sku, code="base"):
    return VariantPrice.objects.get(variant__sku=sku, price_list__code=code).price


def _stock(sku, code="msk-1"):
    return Stock.objects.get(variant__sku=sku, warehouse__code=code).quantity


def _list_requests(fake, doctype):
    return [params for method, path, params in fake.requests if method == "GET" and path == f"/api/resource/{doctype}"]


def test_full_pull_loads_groups_templates_variants_prices_and_stock(erp, fake):
    # given
    catalog_seed(fake)

    # when
    run = sync_run(connection=erp, full=True)

    # then: дерево групп без корня «All Item Groups»
    assert run.state == SyncState.OK, run.errors
    shoes = Category.objects.get(name="Обувь")
    assert Category.objects.get(name="Кеды").get_parent() == shoes
    assert not Category.objects.filter(name="All Item Groups").exists()
    # шаблон — один товар с двумя вариантами и характеристиками «Размер»
    sneakers = Product.objects.get(name="Кеды белые")
    assert sneakers.main_category.name == "Кеды"
    assert sneakers.description == "<p>Кеды из канвы</p>"
    assert sorted(sneakers.variants.values_list("sku", flat=True)) == ["SH-100-38", "SH-100-39"]
    sizes = dict(
        VariantAttributeValue.objects.filter(variant__product=sneakers, attribute__name="Размер").values_list(
            "variant__sku", "choice__label"
        )
    )
    assert sizes == {"SH-100-38": "38", "SH-100-39": "39"}
    assert _variant("SH-100-38").barcode == "4600000000015"
    # простой товар: один вариант с артикулом ERPNext, штрихкодом и картинкой
    case = _variant("CASE-1")
    assert case.product.name == "Чехол" and case.barcode == "4600000000008"
    assert ProductImage.objects.filter(product=case.product).count() == 1
    # цены — Decimal из прайс-листа «Розница» в наш базовый
    assert _price("SH-100-38") == Decimal("4990.00")
    assert _price("SH-100-39") == Decimal("5190.50")
    assert _price("CASE-1") == Decimal("990.00")
    # остаток — свободный (actual − reserved), только сопоставленный склад
    assert _stock("SH-100-38") == 8
    assert _stock("SH-100-39") == 3
    assert Stock.objects.filter(variant=case).count() == 1 and _stock("CASE-1") == 7


def test_lists_come_in_pages_not_one_request_per_item(erp, fake):
    # given: 4 товара, страница — 2 строки
    catalog_seed(fake)

    # when
    sync_run(connection=erp, full=True)

    # then: товары — страницами с полями и фильтрами, ни одного запроса документа товара
    item_pages = _list_requests(fake, "Item")
    assert all(json.loads(params["fields"]) for params in item_pages)
    assert {params["limit_page_length"] for params in item_pages} == {"2"}
    assert not [path for method, path, params in fake.requests if path.startswith("/api/resource/Item/")]
    # атрибуты вариантов — одним запросом на страницу вариантов, с родителем
    attribute_requests = _list_requests(fake, "Item Variant Attribute")
    assert attribute_requests and all(params["parent"] == "Item" for params in attribute_requests)
    assert len(attribute_requests) <= 2


def test_incremental_pull_reads_only_changed_documents(erp, fake):
    # given: полная загрузка прошла
    catalog_seed(fake)
    sync_run(connection=erp, full=True)
    fake.requests.clear()

    # when: ничего не менялось
    run = sync_run(connection=erp)

    # then: ничего не создано и не изменено, фильтр по modified после курсора
    assert (run.created, run.updated) == (0, 0), run.errors
    filters = [json.loads(params["filters"]) for params in _list_requests(fake, "Item")]
    assert all(any(cond[0] == "modified" and cond[1] == ">" for cond in flt) for flt in filters)

    # when: в ERPNext переименовали товар и сменили цену
    fake.item_update("CASE-1", item_name="Чехол кожаный")
    fake.price_add("SH-100-39", 5490)
    run = sync_run(connection=erp)

    # then: изменилось ровно это
    assert run.state == SyncState.OK, run.errors
    assert _variant("CASE-1").product.name == "Чехол кожаный"
    assert _price("SH-100-39") == Decimal("5490.00")
    assert run.updated == 2
    assert run.created == 0


def test_variant_added_later_joins_its_template_product(erp, fake):
    # given
    catalog_seed(fake)
    sync_run(connection=erp, full=True)

    # when: в ERPNext создали ещё один размер
    fake.item_add("SH-100-40", name="Кеды белые, 40", group="Кеды", variant_of="SH-100", attributes=[("Размер", "40")])
    sync_run(connection=erp)

    # then
    sneakers = Product.objects.get(name="Кеды белые")
    assert sorted(sneakers.variants.values_list("sku", flat=True)) == ["SH-100-38", "SH-100-39", "SH-100-40"]
    assert Product.objects.filter(name__startswith="Кеды").count() == 1


def test_pages_with_equal_modified_lose_no_rows(erp, fake):
    # given: пять товаров с одинаковым modified (массовая загрузка в ERPNext), страница — 2 строки
    fake.group_add("Разное")
    stamp = fake.tick()
    for number in range(5):
        fake.item_add(f"ITEM-{number}", group="Разное", modified=stamp)

    # when
    sync_run(connection=erp, full=True)

    # then
    loaded = Variant.objects.filter(sku__startswith="ITEM-").values_list("sku", flat=True)
    assert sorted(loaded) == [f"ITEM-{number}" for number in range(5)]


def test_price_list_currency_mismatch_is_reported_not_loaded(erp, fake):
    # given: прайс-лист ERPNext в долларах сопоставлен нашему рублёвому
    catalog_seed(fake)
    fake.price_add("CASE-1", 15, price_list="Export", currency="USD")
    Connection.objects.filter(pk=erp.pk).update(options={**erp.options, "price_list_map": {"Export": "base"}})
    erp.refresh_from_db()

    # when
    run = sync_run(connection=erp, full=True)

    # then: цена не записана, причина — в журнале
    assert not VariantPrice.objects.filter(variant__sku="CASE-1").exists()
    assert run.state == SyncState.ERRORS
    assert any("USD" in error["message"] and "RUB" in error["message"] for error in run.errors)


@pytest.mark.parametrize(("mode", "expected"), [("available", 8), ("actual", 10), ("projected", 5)])
def test_stock_quantity_is_taken_from_bin_by_option(erp, fake, mode, expected):
    # given
    catalog_seed(fake)
    fake.bin_set("SH-100-38", "Москва - М", actual=10, reserved=2, projected=5)
    Connection.objects.filter(pk=erp.pk).update(options={**erp.options, "stock_quantity": mode})
    erp.refresh_from_db()

    # when
    sync_run(connection=erp, full=True)

    # then
    assert _stock("SH-100-38") == expected


def test_stock_change_in_bin_arrives_with_incremental_pull(erp, fake):
    catalog_seed(fake)
    sync_run(connection=erp, full=True)

    fake.bin_set("CASE-1", "Москва - М", actual=2)
    fake.bin_set("CASE-1", "Склад брака - М", actual=0)
    run = sync_run(connection=erp)

    assert _stock("CASE-1") == 2
    assert run.updated == 1


def test_deleted_item_is_deactivated_not_deleted(erp, fake):
    # given
    catalog_seed(fake)
    sync_run(connection=erp, full=True)

    # when: чехол удалили в ERPNext, один размер — отключили
    fake.item_delete("CASE-1")
    fake.item_update("SH-100-39", disabled=1)
    sync_run(connection=erp)

    # then: товар остался (на него ссылаются заказы), но не продаётся
    case = _variant("CASE-1")
    assert case.product.is_active is False
    assert _variant("SH-100-39").is_active is False
    assert _variant("SH-100-38").is_active is True


def test_pull_goes_on_without_right_to_read_deleted_documents(erp, fake):
    catalog_seed(fake)
    fake.forbidden.add("Deleted Document")

    run = sync_run(connection=erp, full=True)

    assert run.state == SyncState.ERRORS
    assert _stock("CASE-1") == 7  # остатки (после удалённых) загружены
    assert any(error["object"] == "Deleted Document" for error in run.errors)


def test_item_deleted_and_created_again_stays_active(erp, fake):
    catalog_seed(fake)
    sync_run(connection=erp, full=True)

    fake.item_delete("CASE-1")
    fake.item_add("CASE-1", name="Чехол", group="Аксессуары")
    sync_run(connection=erp)

    assert _variant("CASE-1").product.is_active is True


def test_dry_run_writes_nothing(erp, fake):
    catalog_seed(fake)

    run = sync_run(connection=erp, full=True, dry_run=True)

    assert not Product.objects.filter(name__in=["Кеды белые", "Чехол"]).exists()
    assert not Category.objects.filter(name="Обувь").exists()
    assert run.skipped > 0


def test_broken_image_is_reported_and_item_still_loads(erp, fake):
    fake.group_add("Разное")
    fake.item_add("NOIMG-1", group="Разное", image="/files/missing.png")

    run = sync_run(connection=erp, full=True)

    assert Variant.objects.filter(sku="NOIMG-1").exists()
    assert any(error["object"] == "NOIMG-1" and "Картинка" in error["message"] for error in run.errors)


def test_api_keys_are_not_sent_to_image_on_another_host(erp, fake, httpserver):
    # given: картинка товара лежит на другом адресе (localhost вместо 127.0.0.1 сайта ERPNext)
    fake.group_add("Разное")
    fake.images["/files/cdn.png"] = png_bytes()
    fake.images["/files/own.png"] = png_bytes((10, 200, 10))
    # Тот же сервер под другим именем хоста: localhost ↔ 127.0.0.1 (сервер pytest-httpserver —
    # один на сессию, и слушает то имя, которое выбрал первый тест).
    own_url = httpserver.url_for("/files/cdn.png")
    other = (
        own_url.replace("localhost", "127.0.0.1")
        if "//localhost" in own_url
        else own_url.replace("127.0.0.1", "localhost")
    )
    fake.item_add("CDN-1", group="Разное", image=other)
    fake.item_add("OWN-1", group="Разное", image="/files/own.png")

    # when
    sync_run(connection=erp, full=True)

    # then
    assert ("/files/cdn.png", False) in fake.file_auth
    assert ("/files/own.png", True) in fake.file_auth
    assert ProductImage.objects.filter(product__variants__sku="CDN-1").exists()


@pytest.mark.postgres_only(
    reason="два прохода в потоках пишут одновременно: SQLite в памяти второго писателя сразу отвергает"
)
@pytest.mark.django_db(transaction=True)
def test_two_pulls_at_once_do_not_duplicate_products(erp, fake):
    # given: новый каталог, страницы по 2 строки — проходы перемежаются
    catalog_seed(fake)
    connections = [Connection.objects.get(pk=erp.pk) for _ in range(2)]

    # when: ручная загрузка и загрузка по расписанию одновременно
    results = run_concurrently([lambda c=c: sync_run(connection=c, full=True) for c in connections])

    # then: оба прохода прошли, каждый товар ERPNext — один раз
    assert all(run.state == SyncState.OK for run in results), results
    assert Product.objects.filter(name="Чехол").count() == 1
    assert Product.objects.filter(name="Кеды белые").count() == 1
    assert Variant.objects.filter(sku__startswith="SH-100-").count() == 2
    assert Category.objects.filter(name="Кеды").count() == 1
