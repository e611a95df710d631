"""Доставка: способы региона, расчёт той же функцией, что оформление, пункты самовывоза, админка."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from commerce.inventory.models import Stock
from commerce.orders.delivery import DeliveryRule, delivery_quote
from commerce.orders.models import Order, PickupPoint, RegionDeliveryMethod
from staff import roles
from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request
from tests.factories.accounts import AddressFactory, UserFactory, staff_user_with

pytestmark = pytest.mark.django_db

METHODS = "/api/v1/delivery/methods/"
QUOTE = "/api/v1/delivery/quote/"
PICKUP = "/api/v1/pickup-points/"
SPB_ADDRESS = {"city": "Санкт-Петербург", "street": "Невский", "house": "1"}


def spb_courier_only(shop):
    """Петербург: только курьер по городу, 250 ₽, бесплатно от 3000; самовывоз заведён и выключен."""
    RegionDeliveryMethod.objects.create(
        region=shop.spb,
        method="courier",
        name="Курьер по Петербургу",
        cost=Decimal("250"),
        free_from=Decimal("3000"),
        cities="Санкт-Петербург\n\n",
        min_days=1,
        max_days=2,
    )
    RegionDeliveryMethod.objects.create(region=shop.spb, method="pickup", is_enabled=False)
    Stock.objects.create(variant=shop.shirt, warehouse=shop.spb_warehouse, quantity=5)


def quote(*, cart=None, region="msk", client=None, **body):
    headers = {"HTTP_X_REGION": region}
    if cart is not None:
        headers["HTTP_X_CART_TOKEN"] = cart.token
    return (client or APIClient()).post(QUOTE, body, format="json", **headers)


def test_region_without_own_rows_lists_the_default_methods_in_the_envelope(api_client, shop):
    response = api_client.get(METHODS, HTTP_X_REGION="msk")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["num_pages"], body["next"], body["previous"]) == (3, 1, 1, None, None)
    courier = {row["method"]: row for row in body["results"]}["courier"]
    assert courier["cost"] == "300.00" and courier["free_from"] == "5000.00" and courier["currency"] == "RUB"
    assert courier["method_display"] == "курьер" and courier["requires_address"] is True
    assert [row["method"] for row in body["results"]] == ["pickup", "courier", "post"]
    assert response["X-Region"] == "msk"


def test_region_rows_replace_the_defaults_and_disabled_rows_are_hidden(api_client, shop):
    spb_courier_only(shop)
    body = api_client.get(METHODS, HTTP_X_REGION="spb").json()
    assert [row["method"] for row in body["results"]] == ["courier"]
    row = body["results"][0]
    assert row["name"] == "Курьер по Петербургу"
    assert (row["cost"], row["free_from"], row["cities"]) == ("250.00", "3000.00", ["Санкт-Петербург"])
    assert (row["min_days"], row["max_days"]) == (1, 2)
    # Москва своих строк не имеет и по-прежнему получает способы по умолчанию.
    assert api_client.get(METHODS, HTTP_X_REGION="msk").json()["count"] == 3


def test_list_pages_with_relative_links(api_client, shop):
    first = api_client.get(METHODS, {"page_size": 1}, HTTP_X_REGION="msk").json()
    assert (first["num_pages"], first["next"], first["previous"]) == (3, f"{METHODS}?page=2&page_size=1", None)
    second = api_client.get(first["next"], HTTP_X_REGION="msk").json()
    assert [row["method"] for row in second["results"]] == ["courier"]
    assert second["previous"] == f"{METHODS}?page_size=1"
    missing = api_client.get(METHODS, {"page": 9}, HTTP_X_REGION="msk")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_checkout_rejects_a_method_the_region_has_not_enabled(shop):
    spb_courier_only(shop)
    cart = cart_create(region=shop.spb, lines=[(shop.shirt, 1)])
    post = checkout_request(cart=cart, payload=checkout_payload(delivery={"method": "post", "address": SPB_ADDRESS}))
    pickup = checkout_request(
        cart=cart, payload=checkout_payload(delivery={"method": "pickup", "warehouse_id": shop.spb_warehouse.pk})
    )
    assert (post.status_code, post.json()["error"]["code"]) == (400, "delivery_method_not_enabled")
    assert (pickup.status_code, pickup.json()["error"]["code"]) == (400, "delivery_method_not_enabled")
    assert Order.objects.count() == 0


def test_checkout_rejects_a_city_outside_the_method_cities(shop):
    spb_courier_only(shop)
    cart = cart_create(region=shop.spb, lines=[(shop.shirt, 1)])
    moscow = {"city": "Москва", "street": "Тверская", "house": "1"}
    response = checkout_request(cart=cart, payload=checkout_payload(delivery={"method": "courier", "address": moscow}))
    assert (response.status_code, response.json()["error"]["code"]) == (400, "delivery_city_not_served")
    assert response.json()["error"]["message"] == "Этим способом не доставляем в ваш город. Выберите другой способ."
    quoted = quote(cart=cart, region="spb", method="courier", city="Москва")
    assert quoted.json()["error"]["code"] == "delivery_city_not_served"


def test_quote_total_is_the_expected_total_checkout_accepts(shop):
    spb_courier_only(shop)
    cart = cart_create(region=shop.spb, lines=[(shop.shirt, 1)])
    quoted = quote(cart=cart, region="spb", method="courier", city="санкт-петербург")
    assert quoted.status_code == 200
    body = quoted.json()
    assert (body["subtotal"], body["delivery_cost"], body["total"]) == ("2500.00", "250.00", "2750.00")
    assert body["amount_to_free_delivery"] == "500.00" and body["cart_has_problems"] is False
    payload = checkout_payload(delivery={"method": "courier", "address": SPB_ADDRESS}, expected_total=body["total"])
    order = checkout_request(cart=cart, payload=payload)
    assert order.status_code == 201
    assert (order.json()["delivery_cost"], order.json()["total"]) == ("250.00", "2750.00")
    assert order.json()["delivery_method_display"] == "курьер"
    assert order.json()["payment_method_display"] == "онлайн картой"


def test_quote_reaches_free_delivery_at_the_threshold(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 2)])
    body = quote(cart=cart, method="courier").json()
    assert (body["subtotal"], body["delivery_cost"], body["total"]) == ("5000.00", "0.00", "5000.00")
    assert body["amount_to_free_delivery"] == "0.00"
    payload = checkout_payload(expected_total=body["total"])
    assert checkout_request(cart=cart, payload=payload).json()["delivery_cost"] == "0.00"


def test_quote_without_a_cart_prices_an_empty_basket(shop):
    body = quote(method="post").json()
    assert (body["subtotal"], body["delivery_cost"], body["total"], body["free_from"]) == (
        "0.00",
        "400.00",
        "400.00",
        None,
    )
    assert body["amount_to_free_delivery"] is None


def test_quote_uses_the_city_of_a_saved_address_and_hides_other_users_addresses(shop):
    spb_courier_only(shop)
    owner, stranger = UserFactory(), UserFactory()
    address = AddressFactory(user=owner, city="Санкт-Петербург", street="Невский", house="2")
    client = APIClient()
    client.force_authenticate(owner)
    assert quote(client=client, region="spb", method="courier", address_id=address.pk).status_code == 200
    client.force_authenticate(stranger)
    foreign = quote(client=client, region="spb", method="courier", address_id=address.pk)
    assert (foreign.status_code, foreign.json()["error"]["code"]) == (400, "address_not_found")
    anonymous = quote(region="spb", method="courier", address_id=address.pk)
    assert anonymous.json()["error"]["code"] == "address_not_found"


def test_quote_validates_input_with_human_messages(shop):
    response = quote(method="teleport")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"][0]["path"] == "method"
    assert error["fields"][0]["message"] not in ("", "invalid_choice")


def test_checkout_without_pickup_point_says_what_to_send(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    response = checkout_request(cart=cart, payload=checkout_payload(delivery={"method": "pickup"}))
    field = response.json()["error"]["fields"][0]
    assert (field["path"], field["code"]) == ("delivery.warehouse_id", "required")
    assert "pickup-points" in field["message"]


def test_pickup_points_show_details_and_what_of_the_cart_is_there(api_client, shop):
    PickupPoint.objects.create(
        warehouse=shop.msk_warehouse, hours="ежедневно 10–21", latitude=Decimal("55.75"), longitude=Decimal("37.61")
    )
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 2), (shop.phone, 6)])
    response = api_client.get(PICKUP, HTTP_X_REGION="msk", HTTP_X_CART_TOKEN=cart.token)
    assert response.status_code == 200
    point = response.json()["results"][0]
    assert (point["warehouse_id"], point["address"], point["hours"]) == (
        shop.msk_warehouse.pk,
        "Москва, склад 1",
        "ежедневно 10–21",
    )
    assert (point["latitude"], point["longitude"]) == ("55.750000", "37.610000")
    items = {item["sku"]: item for item in point["cart_items"]}
    assert items["SHIRT-1"] == {
        "variant_id": shop.shirt.pk,
        "sku": "SHIRT-1",
        "quantity": 2,
        "available": 5,
        "is_available": True,
    }
    assert items["PHONE-1"]["is_available"] is False
    assert point["all_items_available"] is False
    # Без корзины — только пункты.
    plain = api_client.get(PICKUP, HTTP_X_REGION="msk").json()["results"][0]
    assert plain["cart_items"] == [] and plain["all_items_available"] is False


def test_disabled_pickup_point_is_hidden_and_rejected_at_checkout(api_client, shop):
    PickupPoint.objects.create(warehouse=shop.msk_warehouse, is_enabled=False)
    assert api_client.get(PICKUP, HTTP_X_REGION="msk").json()["count"] == 0
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    payload = checkout_payload(delivery={"method": "pickup", "warehouse_id": shop.msk_warehouse.pk})
    response = checkout_request(cart=cart, payload=payload)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "pickup_point_not_found")


def test_reference_lists_issue_constant_sql(api_client, shop, django_assert_max_num_queries):
    from commerce.inventory.models import Warehouse

    for number in range(2, 12):
        warehouse = Warehouse.objects.create(code=f"msk-{number}", name=f"Склад {number}", region=shop.msk)
        PickupPoint.objects.create(warehouse=warehouse, hours="9–18")
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1), (shop.phone, 1), (shop.laptop, 1)])
    api_client.get(PICKUP, HTTP_X_REGION="msk", HTTP_X_CART_TOKEN=cart.token)  # прогрев кэшей регионов
    with django_assert_max_num_queries(8):
        response = api_client.get(PICKUP, HTTP_X_REGION="msk", HTTP_X_CART_TOKEN=cart.token)
    assert response.json()["count"] == 11
    with django_assert_max_num_queries(3):
        api_client.get(METHODS, HTTP_X_REGION="msk")


def test_city_match_ignores_case_and_spaces():
    rule = DeliveryRule(
        method="courier",
        name="",
        description="",
        cost=Decimal("1"),
        free_from=None,
        cities=("Казань",),
        min_days=None,
        max_days=None,
    )
    assert rule.serves_city("  казань ") and not rule.serves_city("Москва") and not rule.serves_city("")


def test_delivery_quote_is_the_rule_checkout_applies(shop):
    RegionDeliveryMethod.objects.create(
        region=shop.msk, method="post", cost=Decimal("199.90"), free_from=Decimal("1000")
    )
    assert delivery_quote(region=shop.msk, method="post", subtotal=Decimal("999.99")).total == Decimal("1199.89")
    assert delivery_quote(region=shop.msk, method="post", subtotal=Decimal("1000")).cost == Decimal("0.00")


def test_editor_manages_delivery_methods_in_wagtail_admin(client, shop):
    editor = staff_user_with(
        "wagtailadmin.access_admin", "orders.view_regiondeliverymethod", "orders.add_regiondeliverymethod"
    )
    client.force_login(editor)
    response = client.post(
        "/admin/snippets/orders/regiondeliverymethod/add/",
        {
            "region": shop.spb.pk,
            "method": "post",
            "name": "",
            "description": "",
            "cost": "350",
            "free_from": "",
            "cities": "",
            "min_days": "5",
            "max_days": "3",
            "is_enabled": "on",
            "sort_order": "0",
        },
    )
    assert response.status_code == 200  # форма с ошибкой: срок «до» меньше срока «от»
    assert not RegionDeliveryMethod.objects.exists()
    response = client.post(
        "/admin/snippets/orders/regiondeliverymethod/add/",
        {
            "region": shop.spb.pk,
            "method": "post",
            "name": "",
            "description": "",
            "cost": "350",
            "free_from": "",
            "cities": "",
            "min_days": "3",
            "max_days": "5",
            "is_enabled": "on",
            "sort_order": "0",
        },
    )
    assert response.status_code == 302
    assert RegionDeliveryMethod.objects.get().cost == Decimal("350.00")
    assert client.get("/admin/snippets/orders/regiondeliverymethod/").status_code == 200


def test_staff_without_the_permission_cannot_open_delivery_methods(client, shop):
    client.force_login(staff_user_with("wagtailadmin.access_admin", "orders.view_order"))
    response = client.get("/admin/snippets/orders/regiondeliverymethod/")
    assert response.status_code == 302  # Wagtail отправляет на главную админки с сообщением об отказе
    assert not RegionDeliveryMethod.objects.exists()


def test_roles_get_delivery_permissions():
    admin = Group.objects.get(name=roles.ADMINISTRATOR)
    manager = Group.objects.get(name=roles.ORDER_MANAGER)
    admin_codes = set(admin.permissions.values_list("codename", flat=True))
    manager_codes = set(manager.permissions.values_list("codename", flat=True))
    assert {"add_regiondeliverymethod", "change_pickuppoint", "delete_pickuppoint"} <= admin_codes
    assert {"view_regiondeliverymethod", "view_pickuppoint"} <= manager_codes
    assert "change_regiondeliverymethod" not in manager_codes
