"""Строки заказов в API витрины несут slug товара и главное изображение — без запроса на строку (issue #22)."""

import pytest

from commerce.catalog.models import ProductImage
from tests.factories.accounts import UserFactory
from tests.factories.blog import ImageFactory
from tests.factories.orders import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders/"


@pytest.mark.parametrize("page_size", [1, 40])
def test_order_lines_with_images_read_in_constant_queries(api_client, shop, django_assert_max_num_queries, page_size):
    # given: 40 заказов по три строки с разными товарами, у двух товаров есть изображения
    ProductImage.objects.create(product=shop.phone.product, image=ImageFactory(), sort_order=0)
    ProductImage.objects.create(product=shop.shirt.product, image=ImageFactory(), sort_order=0)
    user = UserFactory()
    for _index in range(40):
        order = OrderFactory(region=shop.msk, user=user)
        for variant in (shop.phone, shop.shirt, shop.laptop):
            OrderLineFactory(order=order, variant=variant, sku=variant.sku, product_slug=variant.product.slug)
    api_client.force_authenticate(user)
    api_client.get(ORDERS, {"page_size": page_size})  # рендишены создаются при первом обращении
    # when: пользователь, регион, подсчёт, страница, строки с вариантами, история, изображения, рендишены
    with django_assert_max_num_queries(8):
        response = api_client.get(ORDERS, {"page_size": page_size})
    # then
    lines = response.json()["results"][0]["lines"]
    assert [line["product_slug"] for line in lines] == ["phone-1", "shirt-1", "laptop-1"]
    assert lines[0]["image"]["renditions"] and lines[2]["image"] is None
    assert len(response.json()["results"]) == page_size
