"""Обмен каталогом: фейковая 1С проходит всю последовательность протокола против живого сервера."""

import os
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from wagtail.images import get_image_model

from commerce.catalog.models import Category, Product, ProductAttributeValue, Variant, VariantAttributeValue
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice
from integrations.core.models import ExternalId, ExternalKind, SyncRun
from integrations.onec.models import ExchangeFile, ExchangeImport, ExchangeSession
from tests.integrations.onec.conftest import catalog_zip, data
from tests.integrations.onec.fake_onec import BITRIX_PATH, FakeOnec

pytestmark = pytest.mark.django_db(transaction=True)


def product_by_external(connection, external_id):
    pk = ExternalId.objects.get(connection=connection, kind=ExternalKind.PRODUCT, external_id=external_id).object_id
    return Product.objects.get(pk=pk)


def variant_by_external(connection, external_id):
    pk = ExternalId.objects.get(connection=connection, kind=ExternalKind.VARIANT, external_id=external_id).object_id
    return Variant.objects.get(pk=pk)


def test_full_exchange_with_chunked_zip_loads_catalog_prices_stock_and_images(fake_onec, onec_connection, shop):
    # Несжимаемая «картинка», которой нет в XML, делает архив больше file_limit: он идёт частями.
    archive = catalog_zip(extra=[("import_files/p9/noise.jpg", os.urandom(200 * 1024))])

    results = fake_onec.catalog_exchange(archive)

    assert results["import.xml"][0] == "success"
    assert results["offers.xml"][0] == "success"
    assert fake_onec.zip is True
    upload = ExchangeFile.objects.get(name="v8_2C7E_125d5b.zip")
    assert upload.chunks == len(archive) // fake_onec.file_limit + 1 and upload.chunks >= 4
    assert upload.size == len(archive)

    sneakers = product_by_external(onec_connection, "p-100")
    assert sneakers.name == "Кеды белые"
    assert sneakers.main_category.name == "Кеды"
    assert sneakers.main_category.get_parent().name == "Обувь"
    assert sneakers.description == "<p>Лёгкие кеды на лето.</p><p>Подошва из каучука.</p>"
    values = {value.attribute.name: value for value in ProductAttributeValue.objects.filter(product=sneakers)}
    assert values["Бренд"].choice.label == "Тестбренд"
    assert values["Материал"].value_text == "Хлопок"

    size_38 = variant_by_external(onec_connection, "p-100#var-38")
    size_39 = variant_by_external(onec_connection, "p-100#var-39")
    assert {size_38.product_id, size_39.product_id} == {sneakers.pk}
    assert sneakers.variants.count() == 2, "вариант товара без характеристик стал первым размером"
    assert size_38.sku == "SH-100"
    assert VariantAttributeValue.objects.get(variant=size_39).choice.label == "39"
    assert size_38.weight_grams == 800

    prices = {(p.variant_id, p.price_list.code): p.price for p in VariantPrice.objects.select_related("price_list")}
    assert prices[(size_38.pk, "base")] == Decimal("4990.00")
    assert prices[(size_38.pk, "msk")] == Decimal("4790.00")
    assert prices[(size_39.pk, "base")] == Decimal("5190.50")
    stocks = {(s.variant_id, s.warehouse.code): s.quantity for s in Stock.objects.select_related("warehouse")}
    assert stocks[(size_38.pk, "msk-1")] == 5
    assert stocks[(size_38.pk, "spb-1")] == 2, "дробный остаток — вниз до целых"
    assert stocks[(size_39.pk, "msk-1")] == 0, "отрицательный остаток — ноль"

    shirt = product_by_external(onec_connection, "p-200")
    shirt_variant = shirt.variants.get()
    assert shirt_variant.barcode == "4600000000008"
    assert stocks[(shirt_variant.pk, "msk-1")] == 12
    assert not product_by_external(onec_connection, "p-300").is_active, "Статус=Удален снимает с продажи"

    # Одна и та же картинка у двух товаров — одно изображение Wagtail.
    assert get_image_model().objects.count() == 1
    assert sneakers.images.get().image_id == shirt.images.get().image_id

    run = SyncRun.objects.get(connection=onec_connection)
    assert run.state == "errors" and run.finished_at
    assert any("Оптовая" in error["object"] for error in run.errors), "несопоставленный тип цен назван в журнале"
    assert run.created > 0
    # Витрина видит загруженное: предложение товара в базовом регионе с ценой «от».
    offer = sneakers.offers.get(region=shop.spb)
    assert offer.price == Decimal("4990.00") and offer.in_stock


def test_repeated_exchange_changes_nothing(fake_onec, onec_connection):
    archive = catalog_zip()
    fake_onec.catalog_exchange(archive)
    before = {p.pk: p.updated_at for p in Product.objects.all()}
    counts = (Product.objects.count(), Variant.objects.count(), Category.objects.count(), VariantPrice.objects.count())

    second = FakeOnec(
        base_url=fake_onec.url.split("/integrations")[0], username="1c-exchange", password="s3cret-пароль"
    )
    results = second.catalog_exchange(archive)

    assert results["import.xml"][0] == results["offers.xml"][0] == "success"
    jobs = ExchangeImport.objects.filter(session=ExchangeSession.objects.latest("pk"))
    for job in jobs:
        assert job.counts["created"] == 0 and job.counts["updated"] == 0, (job.filename, job.counts)
        assert job.counts["unchanged"] > 0
    assert {p.pk: p.updated_at for p in Product.objects.all()} == before
    assert counts == (
        Product.objects.count(),
        Variant.objects.count(),
        Category.objects.count(),
        VariantPrice.objects.count(),
    )
    assert get_image_model().objects.count() == 1
    assert "без изменений" in results["offers.xml"][1]


def test_separate_xml_files_without_zip_and_price_change(fake_onec, onec_connection):
    fake_onec.catalog_exchange({"import.xml": data("import.xml"), "offers.xml": data("offers.xml")})
    cheaper = data("offers.xml").replace(b"4990.00", b"4490.00")

    results = fake_onec.catalog_exchange({"offers.xml": cheaper})

    assert results["offers.xml"][0] == "success"
    job = ExchangeImport.objects.filter(filename="offers.xml").latest("pk")
    assert job.counts["updated"] == 1
    size_38 = variant_by_external(onec_connection, "p-100#var-38")
    assert VariantPrice.objects.get(variant=size_38, price_list__code="base").price == Decimal("4490.00")


def test_bitrix_path_and_windows_1251_203_file(live_server, onec_connection):
    client = FakeOnec(base_url=live_server.url, username="1c-exchange", password="s3cret-пароль", path=BITRIX_PATH)

    results = client.catalog_exchange({"import0_1.xml": data("import_203_cp1251.xml")})

    assert results["import0_1.xml"][0] == "success"
    hat = product_by_external(onec_connection, "hat-1")
    assert hat.name == "Шапка вязаная" and hat.main_category.name == "Шапки"
    variants = {v.sku: v for v in hat.variants.all()}
    assert set(variants) == {"HAT-1-S", "HAT-1-M"}
    assert variants["HAT-1-S"].barcode == "4600000000015", "ШтрихКод — другое написание того же элемента"
    labels = {value.choice.label for value in VariantAttributeValue.objects.filter(variant__product=hat)}
    assert labels == {"S", "M"}
    assert ProductAttributeValue.objects.get(product=hat).choice.label == "Красный"


def test_keep_fields_preserve_site_edits(fake_onec, onec_connection):
    fake_onec.catalog_exchange({"import.xml": data("import.xml")})
    sneakers = product_by_external(onec_connection, "p-100")
    Product.objects.filter(pk=sneakers.pk).update(name="Кеды от редактора", description="<p>Наш текст</p>")
    onec_connection.options = {**onec_connection.options, "keep": ["name", "description"]}
    onec_connection.save()

    fake_onec.catalog_exchange({"import.xml": data("import.xml").replace("Кеды белые".encode(), "Кеды new".encode())})

    sneakers.refresh_from_db()
    assert sneakers.name == "Кеды от редактора"
    assert sneakers.description == "<p>Наш текст</p>"


def test_full_upload_deactivates_missing_when_enabled(fake_onec, onec_connection):
    fake_onec.catalog_exchange({"import.xml": data("import.xml")})
    onec_connection.options = {**onec_connection.options, "deactivate_missing": True}
    onec_connection.save()
    without_shirt = data("import.xml").replace("<Ид>p-200</Ид>".encode(), "<Ид>p-201</Ид>".encode())

    fake_onec.catalog_exchange({"import.xml": without_shirt})

    assert not product_by_external(onec_connection, "p-200").is_active
    assert product_by_external(onec_connection, "p-201").is_active
    assert product_by_external(onec_connection, "p-100").is_active


def zip_with(name, content=b"x"):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("import.xml", data("import.xml"))
        bundle.writestr(name, content)
    return buffer.getvalue()


def test_units_and_vat_rates_are_imported_and_shown_in_the_storefront(fake_onec, onec_connection, shop):
    # when: в import.xml — единица атрибутами и текстом (2.10), только кодом ОКЕИ (3.x), ставки 20, «Без налога», 10%
    fake_onec.catalog_exchange(catalog_zip())

    # then
    sneakers = product_by_external(onec_connection, "p-100")
    shirt = product_by_external(onec_connection, "p-200")
    coffee = product_by_external(onec_connection, "p-400")
    units = {
        product.pk: (product.unit_code, product.unit_name, product.unit_full_name, product.unit_international)
        for product in (sneakers, shirt, coffee)
    }
    assert units[sneakers.pk] == ("796", "шт", "Штука", "PCE")
    assert units[shirt.pk] == ("796", "шт", "Штука", "PCE"), "полное имя и сокращение — из таблицы ОКЕИ"
    assert units[coffee.pk] == ("166", "кг", "Килограмм", "KGM")
    assert (sneakers.vat_rate, shirt.vat_rate, coffee.vat_rate) == ("20", "none", "10")

    response = Client().get(f"/api/v1/catalog/products/{sneakers.slug}/", HTTP_X_REGION="msk")
    assert response.status_code == 200
    assert response.json()["unit"] == {"code": "796", "name": "шт"}
    assert response.json()["vat_rate"] == "20"

    # Изменённая в 1С ставка обновляет товар; товар без СтавкиНалогов свою ставку сохраняет.
    changed = data("import.xml").replace("<Ставка>20</Ставка>".encode(), "<Ставка>22</Ставка>".encode())
    changed = changed.replace("<Ставка>10%</Ставка>".encode(), b"")
    fake_onec.catalog_exchange({"import.xml": changed})
    sneakers.refresh_from_db()
    coffee.refresh_from_db()
    assert (sneakers.vat_rate, coffee.vat_rate) == ("22", "10")
