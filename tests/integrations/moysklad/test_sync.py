"""Синхронизация каталога МоегоСклада: полная и инкрементальная, модификации, цены, остатки, пропуски."""

from decimal import Decimal
from urllib.parse import unquote

import pytest

from commerce.catalog.models import Category, Product, ProductAttributeValue, Variant, VariantAttributeValue
from commerce.inventory.models import Stock
from commerce.pricing.models import VariantPrice
from integrations.core.models import ExternalId, ExternalKind, SyncState
from integrations.moysklad.mapping import kopecks_to_decimal
from integrations.moysklad.models import MoyskladImage
from tests.integrations.moysklad.fake_moysklad import png_bytes
from tests.integrations.moysklad.helpers import catalog_seed, gallery_of, sync

pytestmark = pytest.mark.django_db


def variant_of(connection, external_id):
    pk = ExternalId.objects.get(connection=connection, kind=ExternalKind.VARIANT, external_id=external_id).object_id
    return Variant.objects.select_related("product").get(pk=pk)


def price_of(variant, code="base"):
    return VariantPrice.objects.get(variant=variant, price_list__code=code).price


def test_kopecks_become_decimal_roubles():
    assert kopecks_to_decimal(499000) == Decimal("4990.00")
    assert kopecks_to_decimal(129950.0) == Decimal("1299.50")
    assert kopecks_to_decimal("bad") is None


def test_full_sync_loads_folders_products_variants_prices_and_stock(ms, fake, shop):
    # given
    ids = catalog_seed(fake)

    # when
    run = sync(ms, full=True)

    # then: дерево групп
    shirts = Category.objects.get(name="Футболки")
    assert shirts.get_parent().name == "Одежда"
    # футболка — один товар с двумя вариантами; характеристики — атрибуты-списки
    small, large = variant_of(ms, ids["small"]), variant_of(ms, ids["large"])
    assert small.product_id == large.product_id
    assert small.product.name == "Футболка" and small.product.main_category == shirts
    assert Variant.objects.filter(product=small.product).count() == 2
    assert {value.attribute.name for value in VariantAttributeValue.objects.filter(variant=small)} == {"Размер", "Цвет"}
    assert VariantAttributeValue.objects.get(variant=large, attribute__name="Размер").choice.label == "L"
    assert small.sku == "TS-1-S"
    # цены: копейки → рубли; модификация без своей цены — цена товара; только сопоставленный тип цен
    assert price_of(small) == Decimal("1299.00")
    assert price_of(large) == Decimal("1399.50")
    assert not VariantPrice.objects.filter(variant=small).exclude(price_list__code="base").exists()
    # остатки: доступно = остаток − резерв, дробное — вниз, склады по сопоставлению
    assert Stock.objects.get(variant=small, warehouse=shop.msk_warehouse).quantity == 5
    assert Stock.objects.get(variant=large, warehouse=shop.spb_warehouse).quantity == 4
    mug = variant_of(ms, ids["mug"])
    assert (mug.barcode, mug.product.is_active) == ("4600000000008", True)
    assert Stock.objects.get(variant=mug, warehouse=shop.msk_warehouse).quantity == 10
    # article → артикул товара без модификаций; вес товара (кг) — граммы его модификаций;
    # единица измерения и объём — атрибуты товара
    assert mug.sku == "MUG-1"
    assert (small.weight_grams, large.weight_grams) == (200, 200)
    values = {value.attribute.name: value for value in ProductAttributeValue.objects.filter(product=mug.product)}
    assert values["Единица измерения"].value_text == "шт"
    assert values["Объём"].value_number == Decimal("0.3")
    # архивный — неактивен; услуга и комплект пропущены с причиной
    assert variant_of(ms, ids["old"]).product.is_active is False
    reasons = " ".join(item["message"] for item in run.errors)
    assert "Услуга" in reasons and "Комплект" in reasons
    assert not Product.objects.filter(name__startswith="Набор").exists()
    assert run.state == SyncState.OK
    # картинка скачана и стала изображением товара
    assert small.product.images.count() == 1
    assert fake.downloads == 1
    # ассортимент — страницами limit=1000&offset=, все запросы — с gzip и в пределах лимита
    (assortment,) = [query for _method, path, query in fake.requests if path == "/entity/assortment"]
    assert "limit=1000" in assortment and "offset=0" in assortment
    assert fake.throttled == 0


def test_second_full_sync_changes_nothing_and_downloads_no_image_again(ms, fake):
    catalog_seed(fake)
    sync(ms, full=True)
    products = Product.objects.count()

    run = sync(ms, full=True)

    assert Product.objects.count() == products
    assert (run.created, run.updated) == (0, 0)
    assert fake.downloads == 1
    assert MoyskladImage.objects.filter(connection=ms).count() == 1


def test_incremental_sync_asks_only_for_changes_since_the_cursor(ms, fake):
    # given
    ids = catalog_seed(fake)
    sync(ms, full=True)
    fake.change("product", ids["mug"], name="Кружка большая", prices={fake.retail: 59900})
    fake.stock_set(ids["mug"], fake.store_main, 2)
    fake.requests.clear()

    # when
    run = sync(ms)

    # then: изменённая кружка обновлена, запрос с фильтром updated>=, остатки — коротким отчётом
    mug = variant_of(ms, ids["mug"])
    assert mug.product.name == "Кружка большая"
    assert price_of(mug) == Decimal("599.00")
    assert Stock.objects.get(variant=mug, warehouse__code="msk-1").quantity == 2
    (assortment,) = [item for item in fake.requests if item[1] == "/entity/assortment"]
    assert "updated>=" in unquote(assortment[2])
    assert fake.count(prefix="/report/stock/bystore/current") == 1
    assert fake.count(prefix="/report/stock/bystore") == 1
    assert run.state == SyncState.OK, run.errors


def test_full_sync_deactivates_products_deleted_in_moysklad(ms, fake):
    ids = catalog_seed(fake)
    sync(ms, full=True)
    fake.delete("product", ids["mug"])

    sync(ms, full=True)

    assert variant_of(ms, ids["mug"]).product.is_active is False


def test_bad_product_is_skipped_with_a_reason_and_the_rest_applied(ms, fake):
    # given: товар без названия и товар только с несопоставленным типом цен
    fake.product_add("", article="NONAME", prices={fake.retail: 1000})
    fake.product_add("Оптовый товар", article="WHOLE", prices={fake.wholesale: 1000})
    fake.product_add("Нормальный", article="OK-1", prices={fake.retail: 1000})

    run = sync(ms, full=True)

    loaded = ExternalId.objects.filter(connection=ms, kind=ExternalKind.PRODUCT).values_list("object_id", flat=True)
    assert list(Product.objects.filter(pk__in=list(loaded)).values_list("name", flat=True)) == ["Нормальный"]
    messages = {item["object"]: item["message"] for item in run.errors}
    assert "Пустое название" in messages["— (NONAME)"]
    assert "price_types" in messages["Оптовый товар (WHOLE)"]
    assert run.skipped >= 2


def test_store_mapping_by_name_and_unmapped_store_reported(ms, fake, shop):
    product = fake.product_add("Кружка", article="MUG-1", prices={fake.retail: 49900})
    unknown_store = fake._put("store", {"name": "Склад Казань"})["id"]
    fake.stock_set(product, fake.store_spb, 6)
    fake.stock_set(product, unknown_store, 9)

    run = sync(ms, full=True)

    variant = variant_of(ms, product)
    assert Stock.objects.get(variant=variant, warehouse=shop.spb_warehouse).quantity == 6
    assert Stock.objects.filter(variant=variant).count() == 1
    assert any("warehouses" in item["message"] or "Склад" in item["message"] for item in run.errors)


def test_each_mapped_price_type_fills_its_own_price_list(shop, fake):
    # given: «Цена продажи» (по названию) → базовый, «Оптовая» (по id) → московский прайс-лист
    from tests.integrations.moysklad.conftest import ms_connection_create

    connection = ms_connection_create(
        fake, code="ms-prices", options={"price_types": {"Цена продажи": "base", fake.wholesale: "msk"}}
    )
    product = fake.product_add("Кружка", article="MUG-1", prices={fake.retail: 49900, fake.wholesale: 41050})

    sync(connection, full=True)

    variant = variant_of(connection, product)
    assert price_of(variant, "base") == Decimal("499.00")
    assert price_of(variant, "msk") == Decimal("410.50")


def test_product_price_change_reaches_variants_without_their_own_price(ms, fake):
    # given: модификация S без своей цены берёт цену футболки
    ids = catalog_seed(fake)
    sync(ms, full=True)

    # when: цену футболки подняли; сама модификация не менялась
    fake.change("product", ids["shirt"], prices={fake.retail: 149900})
    sync(ms)

    # then: у S — новая цена товара, у L — своя прежняя
    assert price_of(variant_of(ms, ids["small"])) == Decimal("1499.00")
    assert price_of(variant_of(ms, ids["large"])) == Decimal("1399.50")


def test_variant_images_follow_the_product_images_in_its_gallery_named_after_the_variant(ms, fake):
    # given: у футболки своя картинка; у модификации S — своя, у L — файл с тем же содержимым, что у товара
    shirt = fake.product_add(
        "Футболка", article="TS-1", code="TS-1", prices={fake.retail: 129900}, images=[png_bytes()]
    )
    fake.variant_add(shirt, characteristics={"Размер": "S"}, code="TS-1-S", images=[png_bytes((0, 120, 0))])
    fake.variant_add(shirt, characteristics={"Размер": "L"}, code="TS-1-L", images=[png_bytes()])

    # when
    run = sync(ms, full=True)

    # then: вариантам магазина картинки не положены — они в галерее товара после его картинки,
    # названы по модификации (это alt на витрине); одинаковое содержимое — одно изображение
    assert run.state == SyncState.OK, run.errors
    assert gallery_of(ms, shirt) == ["TS-1-0", "Футболка (S)"]
    assert fake.downloads == 3
    assert MoyskladImage.objects.filter(connection=ms).count() == 3

    # and: повторный полный проход ничего не скачивает и галерею не меняет
    again = sync(ms, full=True)
    assert (again.created, again.updated) == (0, 0)
    assert fake.downloads == 3


def test_changed_variant_images_rebuild_the_gallery_and_download_only_the_new_file(ms, fake):
    # given: товар с картинкой и две модификации с картинками загружены
    shirt = fake.product_add(
        "Футболка", article="TS-1", code="TS-1", prices={fake.retail: 129900}, images=[png_bytes()]
    )
    small = fake.variant_add(shirt, characteristics={"Размер": "S"}, code="TS-1-S", images=[png_bytes((0, 120, 0))])
    large = fake.variant_add(shirt, characteristics={"Размер": "L"}, code="TS-1-L", images=[png_bytes((0, 0, 90))])
    sync(ms, full=True)
    assert gallery_of(ms, shirt) == ["TS-1-0", "Футболка (S)", "Футболка (L)"]

    # when: модификации S добавили вторую картинку (товар и L не менялись), инкрементальный проход
    fake.image_add(small, png_bytes((9, 9, 9)), filename="TS-1-S-1.png")
    fake.change("variant", small)
    sync(ms)

    # then: галерея собрана заново — прежние картинки на месте, скачан только новый файл
    assert gallery_of(ms, shirt) == ["TS-1-0", "Футболка (S)", "Футболка (S)", "Футболка (L)"]
    assert fake.downloads == 4

    # when: у L картинку убрали
    (image_id,) = fake.images[large]
    fake.image_remove(large, image_id)
    sync(ms)

    # then: её нет и в галерее
    assert gallery_of(ms, shirt) == ["TS-1-0", "Футболка (S)", "Футболка (S)"]
    assert fake.downloads == 4
