"""Пересчёт предложений в регионах: тот же результат, что у переносимого запроса; неизменное не переписывается."""

from decimal import Decimal

import pytest
from django.db import connection

from commerce.catalog import offers
from commerce.catalog.models import Product, ProductOffer, Variant
from commerce.inventory.models import Stock, Warehouse
from commerce.pricing.models import VariantPrice
from tests.factories.catalog import ProductFactory
from tests.factories.regions import RegionFactory
from tests.row_versions import row_versions as table_row_versions

pytestmark = pytest.mark.django_db

OFFER_FIELDS = (
    "product_id",
    "region_id",
    "price",
    "old_price",
    "currency",
    "available_quantity",
    "in_stock",
    "name",
    "slug",
    "brand_id",
    "popularity",
    "is_active",
)


def offers_table():
    return sorted(ProductOffer.objects.values_list(*OFFER_FIELDS))


def row_versions(product):
    """Вернуть версии строк предложений товара по регионам: переписанная строка получает новую."""
    return table_row_versions("catalog_productoffer", ["region_id"], where="product_id = %s", params=[product.pk])


@pytest.fixture
def tricky(catalog):
    """Товары на все правила выбора: ничьи по цене, нет цены, нет вариантов, неактивные склад и вариант."""
    world = catalog
    world.kzn = RegionFactory(code="kzn", name="Казань")  # без складов и своего прайс-листа
    world.msk_second = Warehouse.objects.create(code="msk-2", name="Москва 2", region=world.msk)
    world.msk_closed = Warehouse.objects.create(code="msk-closed", name="Закрыт", region=world.msk, is_active=False)

    def variant(product, sku, *, base=None, msk=None, old=None, stocks=(), active=True):
        item = Variant.objects.create(product=product, sku=sku, is_active=active)
        if base is not None:
            VariantPrice.objects.create(variant=item, price_list=world.base_list, price=Decimal(base), old_price=old)
        if msk is not None:
            VariantPrice.objects.create(variant=item, price_list=world.msk_list, price=Decimal(msk))
        for warehouse, quantity, reserved in stocks:
            Stock.objects.create(variant=item, warehouse=warehouse, quantity=quantity, reserved=reserved)
        return item

    tie = ProductFactory(name="Ничья", slug="tie", main_category=world.phones)
    variant(tie, "tie-2", base="100", stocks=[(world.msk_warehouse, 3, 0)])
    variant(tie, "tie-1", base="100", old="150", stocks=[(world.msk_second, 2, 1)])
    variant(tie, "tie-cheap-out", base="50", stocks=[(world.msk_warehouse, 4, 4)])
    variant(tie, "tie-cheap-closed", base="40", stocks=[(world.msk_closed, 9, 0)])
    variant(tie, "tie-inactive", base="10", stocks=[(world.msk_warehouse, 9, 0)], active=False)
    mixed = ProductFactory(name="Смешанный", slug="mixed", main_category=world.phones)
    variant(mixed, "mixed-unpriced", stocks=[(world.msk_warehouse, 7, 0), (world.spb_warehouse, 1, 0)])
    variant(mixed, "mixed-regional", base="500", msk="450", old="900", stocks=[(world.spb_warehouse, 2, 0)])
    unpriced = ProductFactory(name="Без цены", slug="unpriced", main_category=world.phones)
    variant(unpriced, "unpriced-1", stocks=[(world.msk_warehouse, 1, 0)])
    world.empty = ProductFactory(name="Без вариантов", slug="empty", main_category=world.phones)
    world.tie, world.mixed = tie, mixed
    return world


def test_postgresql_refresh_gives_the_same_offers_as_the_portable_query(tricky):
    # given: предложения, посчитанные переносимым запросом (путь SQLite) — эталон смысла
    ProductOffer.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(*offers._portable_statement(None))
    expected = offers_table()
    assert len(expected) == Product.objects.count() * 3
    # when: тот же каталог — запросом PostgreSQL, с нуля и поверх испорченных строк
    ProductOffer.objects.all().delete()
    offers.product_offer_refresh()
    from_scratch = offers_table()
    ProductOffer.objects.update(price=Decimal("1.00"), in_stock=True, available_quantity=99, name="?")
    offers.product_offer_refresh(product_ids=[tricky.tie.pk, tricky.mixed.pk, tricky.empty.pk])
    offers.product_offer_refresh()
    # then
    assert from_scratch == expected
    assert offers_table() == expected


def test_offer_picks_cheapest_in_stock_variant_and_breaks_ties_by_variant_id(tricky):
    offers.product_offer_refresh()
    tie = ProductOffer.objects.get(product=tricky.tie, region=tricky.msk)
    # 50 — нет в наличии (всё в резерве), 40 — только на закрытом складе, 10 — неактивный вариант;
    # из двух по 100 в наличии — вариант с меньшим id (tie-2 создан первым, его старой цены нет).
    assert (tie.price, tie.old_price, tie.available_quantity, tie.in_stock) == (Decimal("100.00"), None, 4, True)
    spb = ProductOffer.objects.get(product=tricky.tie, region=tricky.spb)
    assert (spb.price, spb.in_stock, spb.available_quantity) == (Decimal("40.00"), False, 0)


def test_offer_of_product_without_price_or_variants_has_empty_price_in_every_region(tricky):
    offers.product_offer_refresh()
    for slug in ("unpriced", "empty"):
        rows = ProductOffer.objects.filter(product__slug=slug)
        assert rows.count() == 3
        assert {(row.price, row.currency, row.in_stock, row.available_quantity) for row in rows} == {
            (None, "", False, 0)
        }
    mixed = ProductOffer.objects.get(product=tricky.mixed, region=tricky.msk)
    # Цена — регионального прайс-листа; штуки варианта без цены в наличие не считаются.
    assert (mixed.price, mixed.old_price, mixed.available_quantity, mixed.in_stock) == (
        Decimal("450.00"),
        None,
        0,
        False,
    )
    assert ProductOffer.objects.get(product=tricky.mixed, region=tricky.spb).available_quantity == 2


def test_refresh_does_not_rewrite_offers_that_did_not_change(tricky):
    # given
    offers.product_offer_refresh()
    tie_before, mixed_before = row_versions(tricky.tie), row_versions(tricky.mixed)
    # when: ничего не изменилось — ни одна строка не переписана; изменилась цена одного товара
    offers.product_offer_refresh()
    unchanged_tie, unchanged_mixed = row_versions(tricky.tie), row_versions(tricky.mixed)
    VariantPrice.objects.filter(variant__sku="mixed-regional", price_list=tricky.base_list).update(price=Decimal("480"))
    offers.product_offer_refresh()
    # then: у «Смешанного» переписаны только строки регионов, где цена базовая (не Москва)
    assert (unchanged_tie, unchanged_mixed) == (tie_before, mixed_before)
    assert row_versions(tricky.tie) == tie_before
    after = dict(row_versions(tricky.mixed))
    before = dict(mixed_before)
    assert after[tricky.msk.pk] == before[tricky.msk.pk]
    assert after[tricky.spb.pk] != before[tricky.spb.pk]
    assert ProductOffer.objects.get(product=tricky.mixed, region=tricky.spb).price == Decimal("480.00")
