"""Демо-ассортимент: на нём можно попробовать фильтры, фасеты, листание, поиск и картинки."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEGASHOP_DEMO_PRODUCTS = 120
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def test_assortment_has_the_requested_size_with_images_and_distinct_names(demo):
    from commerce.catalog.models import Product

    # then: 4 примера + 120 товаров ассортимента, у каждого главная картинка, имена не повторяются
    assortment = Product.objects.filter(slug__startswith="demo-")
    assert assortment.count() == 120
    assert not assortment.filter(images__isnull=True).exists()
    names = list(assortment.values_list("name", flat=True))
    assert len(set(names)) == len(names)
    assert "Ассортимент: товаров 120" in demo


def test_storefront_pages_filters_and_facets_over_the_assortment(api_client, demo):
    # when: список категории с листанием, фильтром по бренду и наличию
    first = api_client.get("/api/v1/catalog/products/", {"region": "msk", "page_size": 24}).json()
    second = api_client.get("/api/v1/catalog/products/", {"region": "msk", "page_size": 24, "page": 2}).json()
    in_stock = api_client.get("/api/v1/catalog/products/", {"region": "kzn", "in_stock": "true"}).json()
    # then
    assert first["count"] == 124 and first["num_pages"] == 6
    assert {item["id"] for item in first["results"]}.isdisjoint({item["id"] for item in second["results"]})
    assert 0 < in_stock["count"] < first["count"], "часть товаров в Казани должна закончиться"
    assert all(item["image"] for item in first["results"] if item["slug"].startswith("demo-"))


def test_search_and_suggest_find_assortment_products(api_client, demo):
    found = api_client.get("/api/v1/search/", {"q": "наушники", "region": "msk"}).json()
    suggested = api_client.get("/api/v1/search/suggest/", {"q": "чайн", "region": "msk"}).json()

    assert found["count"] >= 10
    assert suggested["products"] and all("Чайник" in item["name"] for item in suggested["products"])


def test_spb_prices_are_regional(api_client, demo):
    msk = api_client.get("/api/v1/catalog/products/demo-kettles-0011/", {"region": "msk"}).json()
    spb = api_client.get("/api/v1/catalog/products/demo-kettles-0011/", {"region": "spb"}).json()

    assert float(spb["variants"][0]["price"]) < float(msk["variants"][0]["price"])


def test_demo_staff_log_in_with_the_printed_password_and_hold_their_roles(demo):
    from django.contrib.auth import authenticate

    # given: строка вывода с логинами и паролем
    line = next(line for line in demo.splitlines() if line.startswith("Сотрудники демо:"))
    password = line.split("пароль ", 1)[1].split(".", 1)[0]
    # then: каждый входит и состоит ровно в своей группе; права — только от группы
    merch = authenticate(username="merch", password=password)
    orders = authenticate(username="orders", password=password)
    assert merch is not None and orders is not None
    assert list(merch.groups.values_list("name", flat=True)) == ["Товаровед"]
    assert merch.has_perm("pricing.change_variantprice")
    assert not orders.has_perm("pricing.change_variantprice")
    assert not merch.is_superuser
