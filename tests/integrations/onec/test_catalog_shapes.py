"""Формы выгрузок из жизни (спецификация §1 и §7): пакеты, 3.1, УТ 10.1, пометка удаления, «не перезаписывать»."""

from decimal import Decimal

import pytest

from commerce.catalog.models import Category, Product, ProductImage
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice
from tests.integrations.onec.conftest import catalog_zip, data
from tests.integrations.onec.test_catalog_exchange import product_by_external, variant_by_external

pytestmark = pytest.mark.django_db(transaction=True)


def prices_of(variant):
    return {row.price_list.code: row.price for row in VariantPrice.objects.filter(variant=variant)}


def stocks_of(variant):
    return {row.warehouse.code: row.quantity for row in Stock.objects.filter(variant=variant)}


def exchange(fake_onec, files, order):
    """Один сеанс: все файлы загружены, import — в порядке order; вернуть ответы import."""
    assert fake_onec.checkauth()[0] == "success"
    fake_onec.init()
    for name, content in files.items():
        fake_onec.upload(name, content)
    return {name: fake_onec.import_file(name)[0] for name in order}


def test_package_files_in_any_order_each_apply_as_a_partial_upsert(fake_onec, onec_connection):
    # given: полный обмен прошёл; общий остаток без склада кладётся на msk-1; полная выгрузка снимала бы пропавшее
    fake_onec.catalog_exchange(catalog_zip())
    onec_connection.options = {
        **onec_connection.options,
        "warehouses": {**onec_connection.options["warehouses"], "*": "msk-1"},
        "deactivate_missing": True,
    }
    onec_connection.save()
    size_38 = variant_by_external(onec_connection, "p-100#var-38")
    size_39 = variant_by_external(onec_connection, "p-100#var-39")
    shirt = product_by_external(onec_connection, "p-200").variants.get()
    partial_catalog = (
        data("import.xml")
        .replace('СодержитТолькоИзменения="false"'.encode(), 'СодержитТолькоИзменения="true"'.encode())
        .replace("Кеды белые<".encode(), "Кеды белоснежные<".encode())
    )

    # when: пакет УТ 11 — остатки (CommerceML 3.1), цены и товары, import в обратном порядке
    files = {"import0_1.xml": partial_catalog, "prices0_1.xml": data("prices0_1.xml")}
    files["rests0_1.xml"] = data("rests0_1.xml")
    answers = exchange(fake_onec, files, ["rests0_1.xml", "prices0_1.xml", "import0_1.xml"])

    # then: каждый файл поменял только своё
    assert {name: answer[0] for name, answer in answers.items()} == dict.fromkeys(answers, "success")
    assert stocks_of(size_38) == {"msk-1": 11, "spb-1": 0}
    assert stocks_of(shirt)["msk-1"] == 4, "остаток без склада (Остаток/Количество) — на склад «*»"
    assert stocks_of(size_39) == {"msk-1": 0}, "чего нет в файле остатков, то не тронуто"
    assert prices_of(size_38) == {"base": Decimal("4100.00"), "msk": Decimal("4790.00")}
    assert prices_of(size_39) == {"base": Decimal("5190.50")}
    assert prices_of(shirt) == {"base": Decimal("1190.00")}
    assert product_by_external(onec_connection, "p-100").name == "Кеды белоснежные"
    assert product_by_external(onec_connection, "p-400").is_active, "частичная выгрузка ничего не снимает"


def test_ut_10_file_with_classifier_and_offers_and_no_schema_version(fake_onec, onec_connection):
    fake_onec.catalog_exchange(catalog_zip())

    answers = exchange(fake_onec, {"import.xml": data("import_ut101.xml")}, ["import.xml"])

    assert answers["import.xml"][0] == "success"
    shirt = product_by_external(onec_connection, "p-200").variants.get()
    assert prices_of(shirt)["base"] == Decimal("999.00")


def test_deletion_mark_requisite_deactivates_never_deletes(fake_onec, onec_connection):
    fake_onec.catalog_exchange({"import.xml": data("import.xml")})
    marked = data("import.xml").replace(
        "<Ставка>Без налога</Ставка></СтавкаНалога></СтавкиНалогов>".encode(),
        (
            "<Ставка>Без налога</Ставка></СтавкаНалога></СтавкиНалогов><ЗначенияРеквизитов><ЗначениеРеквизита>"
            "<Наименование>ПометкаУдаления</Наименование><Значение>true</Значение></ЗначениеРеквизита>"
            "</ЗначенияРеквизитов>"
        ).encode(),
    )

    fake_onec.catalog_exchange({"import.xml": marked})

    shirt = product_by_external(onec_connection, "p-200")
    assert not shirt.is_active and Product.objects.filter(pk=shirt.pk).exists()
    assert product_by_external(onec_connection, "p-100").is_active


def test_keep_images_and_categories_preserve_site_edits(fake_onec, onec_connection):
    # given: редактор перенёс товар в свою категорию и убрал картинку
    fake_onec.catalog_exchange(catalog_zip())
    sneakers = product_by_external(onec_connection, "p-100")
    own = Category.objects.get(name="Одежда")
    Product.objects.filter(pk=sneakers.pk).update(main_category=own)
    ProductImage.objects.filter(product=sneakers).delete()
    onec_connection.options = {**onec_connection.options, "keep": ["images", "categories"]}
    onec_connection.save()

    # when: та же выгрузка приходит снова
    fake_onec.catalog_exchange(catalog_zip())

    # then
    sneakers.refresh_from_db()
    assert sneakers.main_category_id == own.pk
    assert not ProductImage.objects.filter(product=sneakers).exists()
    assert ProductImage.objects.filter(product=product_by_external(onec_connection, "p-200")).exists()


def test_init_cleans_the_upload_folder(fake_onec):
    assert fake_onec.checkauth()[0] == "success"
    fake_onec.init()
    fake_onec.upload("import.xml", data("import.xml"))

    fake_onec.init()  # 1С начала обмен заново: прежние файлы устарели
    lines, _calls = fake_onec.import_file("import.xml")

    assert lines == ["failure", "Файл import.xml не был загружен в этой сессии."]


def test_every_mode_also_works_by_post_and_zip_can_be_switched_off(fake_onec, onec_connection):
    onec_connection.options = {**onec_connection.options, "zip": False}
    onec_connection.save()
    response = fake_onec.http.post(
        fake_onec.url,
        params={"type": "catalog", "mode": "checkauth"},
        auth=(fake_onec.username.encode(), fake_onec.password.encode()),
        timeout=30,
    )
    lines = fake_onec.lines(response)
    assert lines[0] == "success"
    fake_onec.http.cookies.clear()
    fake_onec.cookie = (lines[1], lines[2])

    init = fake_onec.lines(fake_onec.call("catalog", "init", method="POST"))
    assert init[0] == "zip=no" and init[1].startswith("file_limit=")
    fake_onec.file_limit = int(init[1].split("=", 1)[1])
    assert fake_onec.upload("import.xml", data("import.xml")) == [["success"]]
    for _attempt in range(50):
        answer = fake_onec.lines(fake_onec.call("catalog", "import", method="POST", filename="import.xml"))
        if answer[0] != "progress":
            break
    assert answer[0] == "success"
    assert fake_onec.lines(fake_onec.call("catalog", "complete", method="POST")) == ["success"]
    assert fake_onec.lines(fake_onec.call("catalog", "deactivate", method="POST")) == ["success"]
    assert product_by_external(onec_connection, "p-100").name == "Кеды белые"
