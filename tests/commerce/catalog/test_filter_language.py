"""Один язык фильтров: каждое поле ProductFilter и каждая сортировка дают один ответ на всех путях.

Путей чтения товаров под фильтром четыре — список каталога (с категорией и без: разные
запросы), фасеты, выдача поиска и карточки блога — и все строят условия в offer_sql. Тест
прогоняет каждый случай по каждому пути в регионе и без региона и сравнивает с ожидаемым
набором, выписанным здесь по данным фикстуры. Поле ProductFilter без случая в FILTER_CASES —
падение: новый фильтр не пройдёт незамеченным.
"""

import dataclasses
from decimal import Decimal

import pytest

from commerce.catalog import offer_sql
from commerce.catalog.selectors import ProductFilter, product_facets, product_list, product_offer_rows
from commerce.search.selectors import RELEVANCE, product_search_page

pytestmark = pytest.mark.django_db

ALL = {"phone-a", "phone-b", "laptop-c", "shirt-d"}


def _case(name, build, msk, without_region=None):
    """Случай: имя, фильтр из фикстуры, slug-и в Москве и без региона (по умолчанию — те же)."""
    return name, build, set(msk), set(msk if without_region is None else without_region)


# Данные фикстуры catalog (tests/commerce/fixtures.py): в Москве телефон А 19000 (в наличии),
# телефон Б 30000 (нет на складе), ноутбук В 90000, рубашка Г 2500 (обе в наличии). Без региона
# цены и наличия нет: фильтры по ним не оставляют ни одного товара.
FILTER_CASES = [
    _case("none", lambda w: ProductFilter(), ALL),
    _case(
        "category-subtree", lambda w: ProductFilter(category_id=w.electronics.pk), {"phone-a", "phone-b", "laptop-c"}
    ),
    _case("category-leaf", lambda w: ProductFilter(category_id=w.phones.pk), {"phone-a", "phone-b"}),
    _case("brand", lambda w: ProductFilter(brand_ids=(w.acme.pk,)), {"phone-a", "laptop-c"}),
    _case("brands", lambda w: ProductFilter(brand_ids=(w.acme.pk, w.globex.pk)), {"phone-a", "phone-b", "laptop-c"}),
    _case("price-min", lambda w: ProductFilter(price_min=Decimal("20000")), {"phone-b", "laptop-c"}, set()),
    _case("price-max", lambda w: ProductFilter(price_max=Decimal("19000")), {"phone-a", "shirt-d"}, set()),
    _case(
        "price-range",
        lambda w: ProductFilter(price_min=Decimal("3000"), price_max=Decimal("30000")),
        {"phone-a", "phone-b"},
        set(),
    ),
    _case("in-stock", lambda w: ProductFilter(in_stock=True), {"phone-a", "laptop-c", "shirt-d"}, set()),
    # Старых цен в фикстуре нет: со скидками — никого (данные со скидками — tests/commerce/promotions).
    _case("has-discount", lambda w: ProductFilter(has_discount=True), set()),
    _case("choice", lambda w: ProductFilter(choice_groups=((w.black.pk,),)), {"phone-a"}),
    _case("choices-or", lambda w: ProductFilter(choice_groups=((w.black.pk, w.white.pk),)), {"phone-a", "phone-b"}),
    _case("choice-groups-and", lambda w: ProductFilter(choice_groups=((w.black.pk,), (w.white.pk,))), set()),
    _case("choice-empty-group", lambda w: ProductFilter(choice_groups=((),)), set()),
    _case("number-min", lambda w: ProductFilter(number_ranges=((w.diagonal.pk, 6.5, None),)), {"phone-b", "laptop-c"}),
    _case("number-max", lambda w: ProductFilter(number_ranges=((w.diagonal.pk, None, 7),)), {"phone-a", "phone-b"}),
    _case("number-range", lambda w: ProductFilter(number_ranges=((w.diagonal.pk, 6.5, 7),)), {"phone-b"}),
    _case("boolean-true", lambda w: ProductFilter(booleans=((w.nfc.pk, True),)), {"phone-a"}),
    _case("boolean-false", lambda w: ProductFilter(booleans=((w.nfc.pk, False),)), {"phone-b"}),
    _case(
        "combined",
        lambda w: ProductFilter(category_id=w.electronics.pk, brand_ids=(w.acme.pk,), in_stock=True),
        {"phone-a", "laptop-c"},
        set(),
    ),
]


def _filter_fields_covered():
    """Поля ProductFilter, которые хоть один случай задаёт не по умолчанию (мир — заглушка с id)."""

    class Ids:
        def __getattr__(self, name):
            return type("Row", (), {"pk": 1})()

    default = ProductFilter()
    covered = set()
    for _name, build, _msk, _without_region in FILTER_CASES:
        built = build(Ids())
        covered |= {
            item.name
            for item in dataclasses.fields(ProductFilter)
            if getattr(built, item.name) != getattr(default, item.name)
        }
    return covered


def test_every_filter_field_has_a_case():
    # given: поля фильтра; when: случаи выписаны; then: у каждого поля есть случай
    fields = {item.name for item in dataclasses.fields(ProductFilter)}
    assert fields - _filter_fields_covered() == set()


def _slugs(rows):
    return {row["slug"] for row in rows}


def _paths(world, region_id, filters):
    """Вернуть {путь: (число, slug-и)} — ответ каждого пути чтения товаров под фильтром."""
    ids = [world.shirt.pk, world.laptop.pk, world.phone_white.pk, world.phone_black.pk]
    listed = product_list(region_id=region_id, filters=filters, limit=100)
    in_category = dataclasses.replace(filters, category_id=filters.category_id or world.electronics.pk)
    category_count, category_rows = product_list(region_id=region_id, filters=in_category, limit=100)
    found = product_search_page(ids=ids, region_id=region_id, filters=filters, sort=RELEVANCE, offset=0, limit=100)
    facets = product_facets(region_id=region_id, filters=filters, choice_ids=[])
    return {
        "list": (listed[0], _slugs(listed[1])),
        "list-in-category": (category_count, _slugs(category_rows)),
        "search": (found[0], _slugs(found[1])),
        "facets": (facets["total"], None),
    }


@pytest.mark.parametrize("region", ["msk", None])
def test_every_path_applies_every_filter_alike(catalog, region):
    """Все случаи на одной фикстуре (она дорогая): в ответе — каждое расхождение, а не первое."""
    region_id = catalog.msk.pk if region else None
    electronics = {"phone-a", "phone-b", "laptop-c"}
    mismatches = {}
    for name, build, msk, without_region in FILTER_CASES:
        # given
        filters = build(catalog)
        expected = msk if region else without_region
        in_category = expected if filters.category_id else expected & electronics
        # when
        paths = _paths(catalog, region_id, filters)
        # then
        wanted = {
            "list": (len(expected), expected),
            "list-in-category": (len(in_category), in_category),
            "search": (len(expected), expected),
            "facets": (len(expected), None),
        }
        if paths != wanted:
            mismatches[name] = {path: paths[path] for path in paths if paths[path] != wanted[path]}
    assert mismatches == {}


def _expected_order(world, region, sort):
    """Порядок товаров по сортировке, посчитанный в Python по данным фикстуры."""
    msk_price = {"phone-a": Decimal(19000), "phone-b": Decimal(30000), "laptop-c": Decimal(90000), "shirt-d": 2500}
    products = [world.phone_black, world.phone_white, world.laptop, world.shirt]
    for product in products:
        product.refresh_from_db()
    price = (lambda p: msk_price[p.slug]) if region else (lambda p: None)
    keys = {
        "popular": lambda p: (-p.popularity, p.pk),
        "price": lambda p: (price(p) is None, price(p) or 0, p.pk),
        "-price": lambda p: (price(p) is None, -(price(p) or 0), p.pk),
        "name": lambda p: (p.name, p.pk),
        "new": lambda p: (-p.created_at.timestamp(), -p.pk),
        # Скидок в фикстуре нет: все «без скидки» — по id.
        "discount": lambda p: (p.pk,),
    }
    if sort == "-name":
        return [p.slug for p in sorted(products, key=lambda p: (p.name, -p.pk), reverse=True)]
    return [p.slug for p in sorted(products, key=keys[sort])]


def test_sort_names_are_the_list_language():
    assert set(offer_sql.LIST_SORTS) == {"popular", "price", "-price", "name", "-name", "new", "discount"}
    assert offer_sql.DEFAULT_SORT in offer_sql.LIST_SORTS
    assert RELEVANCE not in offer_sql.LIST_SORTS


@pytest.mark.parametrize("region", ["msk", None])
def test_every_sort_orders_list_and_search_alike(catalog, region):
    # given
    catalog.laptop.popularity, catalog.shirt.popularity = 7, 3
    catalog.laptop.save()
    catalog.shirt.save()
    region_id = catalog.msk.pk if region else None
    ids = [catalog.shirt.pk, catalog.laptop.pk, catalog.phone_white.pk, catalog.phone_black.pk]
    orders, wanted = {}, {}
    for sort in offer_sql.LIST_SORTS:
        # when
        _count, listed = product_list(region_id=region_id, filters=ProductFilter(), sort=sort, limit=100)
        _count, found = product_search_page(
            ids=ids, region_id=region_id, filters=ProductFilter(), sort=sort, offset=0, limit=100
        )
        orders[sort] = ([row["slug"] for row in listed], [row["slug"] for row in found])
        expected = _expected_order(catalog, region, sort)
        wanted[sort] = (expected, expected)
    # then
    assert orders == wanted


@pytest.mark.parametrize("region", ["msk", None])
def test_relevance_keeps_the_order_of_found_ids(catalog, region):
    region_id = catalog.msk.pk if region else None
    ids = [catalog.shirt.pk, catalog.laptop.pk, catalog.phone_white.pk, catalog.phone_black.pk]
    filters = ProductFilter(brand_ids=(catalog.acme.pk, catalog.globex.pk))
    _count, rows = product_search_page(ids=ids, region_id=region_id, filters=filters, sort=RELEVANCE, offset=0, limit=2)
    assert [row["slug"] for row in rows] == ["laptop-c", "phone-b"]


@pytest.mark.parametrize("region", ["msk", None])
def test_blog_cards_read_the_same_offers_as_the_list(catalog, region):
    # given
    region_id = catalog.msk.pk if region else None
    catalog.laptop.is_active = False
    catalog.laptop.save()
    ids = [catalog.phone_black.pk, catalog.phone_white.pk, catalog.laptop.pk]
    # when
    cards = product_offer_rows(region_id=region_id, product_ids=ids)
    _count, listed = product_list(region_id=region_id, filters=ProductFilter(), limit=100)
    # then: неактивный ноутбук не виден, цены и наличие — как в строках списка
    by_id = {row["id"]: row for row in listed}
    assert set(cards) == {catalog.phone_black.pk, catalog.phone_white.pk}
    for product_id, card in cards.items():
        for key in ("slug", "name", "offer__price", "offer__old_price", "offer__currency"):
            assert card[key] == by_id[product_id][key] or (card[key] is None and not by_id[product_id][key])
        assert bool(card["offer__in_stock"]) == bool(by_id[product_id]["offer__in_stock"])
    assert cards[catalog.phone_black.pk]["offer__price"] == (Decimal("19000") if region else None)
