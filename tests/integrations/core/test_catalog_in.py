"""«Каталог на вход» ядра: общий путь загрузки каталога любой системы (без HTTP, прямо dataclass-ами)."""

from decimal import Decimal

import pytest

from commerce.catalog.models import Category, Product, ProductAttributeValue, Variant
from commerce.inventory.models import Stock
from commerce.pricing.models import PriceList, VariantPrice
from integrations.core.catalog_in import (
    AttributeValueIn,
    CatalogInput,
    CategoryIn,
    PriceIn,
    ProductIn,
    StockIn,
    VariantIn,
)
from integrations.core.models import ExternalId, ExternalKind, SyncRun
from tests.factories.integrations import ConnectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection(db):
    return ConnectionFactory(system="webhook", code="erp")


def catalog_input(connection, **options):
    run = SyncRun.objects.create(connection=connection, direction="pull")
    return CatalogInput(connection=connection, run=run, **options), run


def load(catalog):
    catalog.categories_upsert([CategoryIn("c-1", "Телефоны"), CategoryIn("c-2", "Смартфоны", parent_id="c-1")])
    catalog.products_upsert(
        [
            ProductIn(
                external_id="item-1",
                name="Смартфон X",
                category_ids=["c-2"],
                description_text="Хороший <телефон>",
                attributes=[AttributeValueIn("Цвет", "Чёрный"), AttributeValueIn("Диагональ", "6,1", kind="number")],
                variants=[
                    VariantIn("item-1-128", "item-1", sku="X-128", attributes=[AttributeValueIn("Память", "128")]),
                    VariantIn("item-1-256", "item-1", sku="X-256", attributes=[AttributeValueIn("Память", "256")]),
                ],
            ),
            ProductIn(external_id="item-2", name="Чехол", sku="CASE-1", barcode="4600000000008"),
        ]
    )
    catalog.prices_set(
        [
            PriceIn("item-1-128", "retail", Decimal("49990"), "Розница"),
            PriceIn("item-1-256", "retail", Decimal("59990.5"), "Розница"),
            PriceIn("item-2", "retail", Decimal("990"), "Розница"),
        ]
    )
    catalog.stocks_set(
        [
            StockIn("item-1-128", "store-1", Decimal("3"), "Склад Москва"),
            StockIn("item-2", "store-1", Decimal("10.7"), "Склад Москва"),
        ]
    )


def test_first_load_creates_everything_through_shop_services(shop, connection):
    catalog, run = catalog_input(connection)

    load(catalog)

    phone = Product.objects.get(name="Смартфон X")
    assert phone.main_category.name == "Смартфоны" and phone.main_category.get_parent().name == "Телефоны"
    assert phone.description == "<p>Хороший &lt;телефон&gt;</p>"
    assert sorted(phone.variants.values_list("sku", flat=True)) == ["X-128", "X-256"]
    values = {v.attribute.name: v for v in ProductAttributeValue.objects.filter(product=phone)}
    assert values["Цвет"].choice.label == "Чёрный"
    assert values["Диагональ"].value_number == Decimal("6.1")
    case = Variant.objects.get(sku="CASE-1")
    assert case.barcode == "4600000000008"
    # «Розница» нашлась по названию? Нет: в магазине «Базовый» — тип цен не сопоставлен, цены пропущены.
    assert not VariantPrice.objects.filter(variant=case).exists()
    assert any("price_types" in error["message"] for error in run.errors)
    # Склад «Склад Москва» найден по названию.
    assert Stock.objects.get(variant=case, warehouse=shop.msk_warehouse).quantity == 10
    assert catalog.counts.kinds["product"]["created"] == 2, catalog.counts.kinds
    assert catalog.counts.kinds["category"]["created"] == 3, "две своих и «Без категории» для чехла"
    assert case.product.main_category.name == "Без категории"
    assert catalog.counts.kinds["stock"]["created"] == 2
    assert run.created == 7, catalog.counts.kinds
    assert ExternalId.objects.filter(connection=connection, kind=ExternalKind.VARIANT).count() == 3
    # Предложения пересчитаны пачкой: у чехла без цены — строка «недоступен».
    offer = case.product.offers.get(region=shop.msk)
    assert offer.price is None and not offer.in_stock


def test_mapped_price_list_and_repeat_is_unchanged(shop, connection):
    catalog, _run = catalog_input(connection, price_lists={"retail": "base"})
    load(catalog)
    assert VariantPrice.objects.get(variant__sku="X-256", price_list=shop.base_list).price == Decimal("59990.50")
    offer = Product.objects.get(name="Смартфон X").offers.get(region=shop.msk)
    assert (offer.price, offer.available_quantity, offer.in_stock) == (Decimal("49990.00"), 3, True)
    before = {p.pk: p.updated_at for p in Product.objects.all()}

    again, run = catalog_input(connection, price_lists={"retail": "base"})
    load(again)

    assert run.created == 0 and run.updated == 0
    assert run.unchanged == 2 + 2 + 3 + 2  # категории, товары, цены, остатки (запасная категория — из кэша)
    assert {p.pk: p.updated_at for p in Product.objects.all()} == before
    assert again.counts.kinds["price"]["unchanged"] == 3


def test_unknown_price_type_creates_base_price_list_when_shop_has_none(connection, db):
    from tests.factories.catalog import category_create

    category_create(name="Корень", slug="root")
    catalog, run = catalog_input(connection)
    catalog.products_upsert([ProductIn(external_id="a", name="Товар А", sku="A-1")])

    catalog.prices_set([PriceIn("a", "guid-retail", Decimal("10"), "Розничная")])

    created = PriceList.objects.get()
    assert created.name == "Розничная" and created.is_base
    assert VariantPrice.objects.get(variant__sku="A-1").price == Decimal("10.00")
    assert any("Создан базовый прайс-лист" in error["message"] for error in run.errors)


def test_stock_below_reservation_keeps_reservation(shop, connection):
    catalog, run = catalog_input(connection, warehouses={"store-1": "msk-1"})
    load(catalog)
    stock = Stock.objects.get(variant__sku="X-128", warehouse=shop.msk_warehouse)
    Stock.objects.filter(pk=stock.pk).update(reserved=2)

    catalog.stocks_set([StockIn("item-1-128", "store-1", Decimal("1"))])

    stock.refresh_from_db()
    assert (stock.quantity, stock.reserved) == (2, 2)
    assert any("меньше резерва" in error["message"] for error in run.errors)


def test_keep_fields_and_move_between_categories(shop, connection):
    catalog, _run = catalog_input(connection)
    load(catalog)
    phone = Product.objects.get(name="Смартфон X")
    Product.objects.filter(pk=phone.pk).update(name="Редакторское имя", updated_at="2000-01-01T00:00:00Z")

    kept, run = catalog_input(connection, keep_fields=["name"])
    kept.categories_upsert([CategoryIn("c-3", "Архив")])
    kept.products_upsert([ProductIn(external_id="item-1", name="Смартфон X2", category_ids=["c-3"], variants=[])])

    phone.refresh_from_db()
    assert phone.name == "Редакторское имя"
    assert phone.main_category.name == "Архив"
    assert phone.updated_at.year > 2000, "массовое обновление отмечает «изменён»"
    assert run.updated == 1
    assert phone.variants.count() == 2, "товар со своими вариантами не получает лишний вариант"


def test_variant_for_unknown_product_is_skipped_and_reported(connection, shop):
    catalog, run = catalog_input(connection)

    catalog.variants_upsert([VariantIn("ghost#1", "ghost")])

    assert run.skipped == 1 and "ghost" in run.errors[0]["message"]
    assert not Variant.objects.filter(product__name__startswith="ghost").exists()


def test_deactivate_missing_products(connection, shop):
    catalog, _run = catalog_input(connection)
    load(catalog)

    full, _run = catalog_input(connection)
    full.products_upsert([ProductIn(external_id="item-2", name="Чехол", sku="CASE-1")])
    count = full.products_deactivate_missing()

    assert count == 1
    assert not Product.objects.get(name="Смартфон X").is_active
    assert Product.objects.get(name="Чехол").is_active
    assert Category.objects.filter(name="Смартфоны").exists()


def test_batch_queries_do_not_grow_with_batch_size(connection, shop, django_assert_max_num_queries):
    catalog, _run = catalog_input(connection, warehouses={"store-1": "msk-1"}, price_lists={"retail": "base"})
    load(catalog)
    products = [ProductIn(external_id=f"bulk-{n}", name=f"Товар {n}", sku=f"BULK-{n}") for n in range(200)]
    catalog.products_upsert(products[:10])

    with django_assert_max_num_queries(40):
        catalog.products_upsert(products[10:])
    # Пересчёт предложений несёт и учёт CategoryOffer со счётчиками категорий (commerce.catalog.
    # category_offers): блокировка, состояние до и после, приращения — число запросов от размера пачки не зависит.
    with django_assert_max_num_queries(30):
        catalog.prices_set([PriceIn(f"bulk-{n}", "retail", Decimal(n + 1)) for n in range(200)])
    with django_assert_max_num_queries(30):
        catalog.stocks_set([StockIn(f"bulk-{n}", "store-1", Decimal(n)) for n in range(200)])


def slugs_of(connection, kind, model):
    """{внешний id: slug} объектов подключения."""
    mapped = dict(ExternalId.objects.filter(connection=connection, kind=kind).values_list("object_id", "external_id"))
    return {mapped[str(pk)]: slug for pk, slug in model.objects.filter(pk__in=list(mapped)).values_list("pk", "slug")}


def same_system_load(connection):
    """Загрузка, которую дают два подключения к одной системе: те же внешние id, одноимённые группы и товары."""
    catalog, run = catalog_input(connection)
    catalog.categories_upsert(
        [CategoryIn("c-1", "Одежда"), CategoryIn("c-0", "Распродажа"), CategoryIn("c-2", "Одежда", parent_id="c-0")]
    )
    catalog.products_upsert(
        [
            ProductIn("p-1", "Кружка", sku="MUG", category_ids=["c-1"]),
            ProductIn("p-2", "Кружка", sku="MUG", category_ids=["c-2"]),
            ProductIn("p-3", "Блокнот"),
        ]
    )
    return run


def test_two_connections_with_the_same_external_ids_get_their_own_stable_slugs(shop):
    # given: два подключения к одной учётной системе (второй аккаунт, пересозданное подключение)
    first = ConnectionFactory(system="webhook", code="erp-a")
    second = ConnectionFactory(system="webhook", code="erp-b")

    # when: оба загружают одно и то же
    same_system_load(first)
    same_system_load(second)

    # then: у каждого свои категории, товары и варианты; slug и артикулы не столкнулись
    assert Category.objects.filter(name="Одежда").count() == 4
    assert Category.objects.filter(name="Без категории").count() == 2
    assert Product.objects.filter(name="Кружка").count() == 4
    assert Variant.objects.filter(sku__startswith="MUG").count() == 4
    slugs = {
        connection.code: {
            "categories": slugs_of(connection, ExternalKind.CATEGORY, Category),
            "products": slugs_of(connection, ExternalKind.PRODUCT, Product),
        }
        for connection in (first, second)
    }
    assert slugs["erp-a"]["categories"]["c-1"] == "odezhda" and slugs["erp-a"]["products"]["p-1"] == "kruzhka"
    every = [slug for item in slugs.values() for group in item.values() for slug in group.values()]
    assert len(every) == len(set(every)) == 14

    # and: повторная загрузка ничего не создаёт и slug не меняет
    again = same_system_load(second)
    assert again.created == 0
    assert slugs_of(second, ExternalKind.CATEGORY, Category) == slugs["erp-b"]["categories"]
    assert slugs_of(second, ExternalKind.PRODUCT, Product) == slugs["erp-b"]["products"]


def test_slug_taken_both_ways_gets_a_number(shop, connection):
    # given: «Одежда» заведена на сайте вручную, группа «Одежда» загружена (slug с хешем подключения)
    from commerce.catalog.services import category_create

    category_create(name="Одежда", slug="odezhda")
    catalog, _run = catalog_input(connection)
    catalog.categories_upsert([CategoryIn("c-1", "Одежда")])
    hashed = slugs_of(connection, ExternalKind.CATEGORY, Category)["c-1"]

    # when: сопоставление потеряно, и та же группа приходит снова
    ExternalId.objects.filter(connection=connection, kind=ExternalKind.CATEGORY).delete()
    catalog, run = catalog_input(connection)
    catalog.categories_upsert([CategoryIn("c-1", "Одежда")])

    # then: новая категория с номером, ошибок нет
    assert hashed.startswith("odezhda-")
    assert slugs_of(connection, ExternalKind.CATEGORY, Category)["c-1"] == f"{hashed}-2"
    assert run.errors == []
