"""В демо-магазине есть то, что обещает документация (docs/admin/index.md, «Демо-магазин»)."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

REGIONS = ("msk", "spb", "kzn")


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEGASHOP_DEMO_PRODUCTS = 36
    call_command("seed_demo", stdout=io.StringIO())


def test_every_kind_of_product_has_its_share_with_brand_and_image(demo):
    from commerce.catalog.demo_assortment import KINDS
    from commerce.catalog.models import Product

    # then: 4 примера + по 3 товара каждого из 12 видов; у всех бренд и картинка
    products = Product.objects.all()
    assert products.count() == 4 + 36
    per_kind = {kind[0]: products.filter(slug__startswith=f"demo-{kind[0]}-").count() for kind in KINDS}
    assert len(per_kind) == 12 and set(per_kind.values()) == {3}, per_kind
    assert not products.filter(brand__isnull=True).exists()
    assert not products.filter(images__isnull=True).exists(), "у каждого товара, и у примеров, есть картинка"
    assert products.values("brand").distinct().count() >= 7


def test_demo_uses_attributes_of_every_type(demo):
    from commerce.catalog.models import AttributeType, ProductAttributeValue, VariantAttributeValue

    # then: выбор (цвет, размер) у вариантов, число, «да/нет» и текст у товаров
    used = set(VariantAttributeValue.objects.values_list("attribute__type", flat=True))
    used |= set(ProductAttributeValue.objects.values_list("attribute__type", flat=True))
    assert used == set(AttributeType.values)


def test_clothes_have_sizes_and_electronics_have_colours_and_old_prices_exist(demo):
    from commerce.catalog.models import Variant
    from commerce.pricing.models import VariantPrice

    jeans = Variant.objects.filter(product__slug__startswith="demo-jeans-")
    phones = Variant.objects.filter(product__slug__startswith="demo-smartphones-")
    assert set(jeans.values_list("attribute_values__attribute__code", flat=True)) == {"size"}
    assert set(phones.values_list("attribute_values__attribute__code", flat=True)) == {"color"}
    assert VariantPrice.objects.filter(old_price__isnull=False).exists()


def test_every_region_has_its_own_delivery_and_pickup_point(api_client, demo):
    for code in REGIONS:
        # when
        methods = api_client.get("/api/v1/delivery/methods/", {"region": code}).json()["results"]
        points = api_client.get("/api/v1/pickup-points/", {"region": code}).json()["results"]
        # then: способы со своими названиями и сроками, пункт выдачи со складом, адресом и часами
        assert {"courier", "pickup"} <= {method["method"] for method in methods}, code
        courier = next(method for method in methods if method["method"] == "courier")
        assert courier["name"] != courier["method_display"] and courier["max_days"], code
        assert len(points) == 1 and points[0]["code"] == f"{code}-main"
        assert points[0]["address"] and points[0]["hours"], points[0]


def test_a_staff_member_for_every_shipped_group(demo):
    from django.contrib.auth import get_user_model

    from staff.roles import ADMINISTRATOR, CONTENT_EDITOR, MERCHANDISER, ORDER_MANAGER

    # then: у каждой группы, которую создаёт магазин, есть сотрудник без прав суперпользователя
    staff = get_user_model().objects.filter(is_staff=True, is_superuser=False)
    for group in (CONTENT_EDITOR, ORDER_MANAGER, MERCHANDISER, ADMINISTRATOR):
        assert staff.filter(groups__name=group).exists(), f"в группе «{group}» нет демо-сотрудника"


def test_two_word_suggest_finds_the_demo_smartphones(api_client, demo):
    # when: начала двух слов названия «Смартфон Nova 6 128 ГБ» — как в make smoke
    suggested = api_client.get("/api/v1/search/suggest/", {"q": "смарт nova", "region": "msk"}).json()
    # then: смартфоны Nova, и только они
    names = [item["name"] for item in suggested["products"]]
    assert names and all(name.startswith("Смартфон Nova") for name in names), names
