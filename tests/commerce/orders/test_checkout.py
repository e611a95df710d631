"""Оформление заказа: снимок цен, суммы на сервере, резерв с сроком, доставка, адреса, ошибки."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commerce.cart.models import Cart
from commerce.catalog.models import Product, Variant
from commerce.inventory.models import Stock
from commerce.orders import services
from commerce.orders.exceptions import CartEmpty, CheckoutConflict
from commerce.orders.models import Order, OrderReservation, ReservationState
from commerce.orders.status import OrderStatus
from commerce.payments.models import RegionPaymentProvider
from commerce.pricing.models import VariantPrice
from tests.commerce.orders.helpers import CHECKOUT, cart_create, checkout_payload, checkout_request
from tests.factories.accounts import AddressFactory, UserFactory

pytestmark = pytest.mark.django_db


def stock_of(variant, warehouse):
    return Stock.objects.get(variant=variant, warehouse=warehouse)


def test_checkout_snapshots_regional_prices_and_reserves_stock(shop):
    # given: телефон (цена Москвы 19000) ×2 и рубашка (базовая 2500) ×1
    cart = cart_create(region=shop.msk, lines=[(shop.phone, 2), (shop.shirt, 1)])
    # when
    response = checkout_request(cart=cart)
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith(f"MSK-{timezone.localtime().year}-")
    assert body["status"] == "new"
    assert body["subtotal"] == "40500.00"
    assert body["delivery_cost"] == "0.00"  # курьер бесплатно от 5000
    assert body["total"] == "40500.00"
    assert [(line["sku"], line["unit_price"], line["quantity"]) for line in body["lines"]] == [
        ("PHONE-1", "19000.00", 2),
        ("SHIRT-1", "2500.00", 1),
    ]
    assert stock_of(shop.phone, shop.msk_warehouse).reserved == 2
    assert stock_of(shop.shirt, shop.msk_warehouse).reserved == 1
    order = Order.objects.get(number=body["number"])
    assert order.reservations.filter(state=ReservationState.ACTIVE).count() == 2
    assert cart.lines.count() == 0


def test_checkout_ignores_prices_and_totals_sent_by_client(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.phone, 1)])
    payload = checkout_payload(
        total="1.00", subtotal="1.00", lines=[{"variant_id": shop.phone.pk, "unit_price": "1.00"}]
    )
    response = checkout_request(cart=cart, payload=payload)
    assert response.status_code == 201
    assert response.json()["lines"][0]["unit_price"] == "19000.00"
    assert response.json()["total"] == "19000.00"


def test_snapshot_survives_later_catalog_changes(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    number = checkout_request(cart=cart).json()["number"]
    # when: товар переименовали и подняли цену
    Product.objects.filter(pk=shop.shirt.product_id).update(name="Новое имя")
    VariantPrice.objects.filter(variant=shop.shirt).update(price=Decimal("9999"))
    # then
    line = Order.objects.get(number=number).lines.get()
    assert (line.product_name, line.unit_price, line.sku) == ("Товар SHIRT-1", Decimal("2500.00"), "SHIRT-1")


def test_online_order_reservation_expires_after_configured_minutes(shop, settings):
    settings.ORDERS_RESERVATION_MINUTES = 45
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    before = timezone.now()
    order = Order.objects.get(number=checkout_request(cart=cart).json()["number"])
    assert before + timedelta(minutes=45) <= order.reserved_until <= timezone.now() + timedelta(minutes=45)


def test_cash_on_delivery_order_waits_for_confirmation_for_configured_hours(shop, settings):
    settings.ORDERS_COD_RESERVATION_HOURS = 24
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    before = timezone.now()
    response = checkout_request(cart=cart, payload=checkout_payload(payment_method="cash_on_delivery"))
    order = Order.objects.get(number=response.json()["number"])
    assert before + timedelta(hours=24) <= order.reserved_until <= timezone.now() + timedelta(hours=24)
    assert response.json()["reserved_until"] is not None


def test_cash_on_delivery_reservation_has_no_deadline_when_expiry_is_off(shop, settings):
    settings.ORDERS_COD_RESERVATION_HOURS = 0
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    response = checkout_request(cart=cart, payload=checkout_payload(payment_method="cash_on_delivery"))
    assert Order.objects.get(number=response.json()["number"]).reserved_until is None


@pytest.mark.parametrize(
    ("method", "quantity", "expected_cost"),
    [("courier", 1, "300.00"), ("courier", 2, "0.00"), ("post", 1, "400.00")],
)
def test_delivery_cost_follows_method_rule(shop, method, quantity, expected_cost):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, quantity)])
    response = checkout_request(
        cart=cart,
        payload=checkout_payload(
            delivery={"method": method, "address": {"city": "Москва", "street": "Тверская", "house": "1"}}
        ),
    )
    assert response.json()["delivery_cost"] == expected_cost
    assert Decimal(response.json()["total"]) == Decimal(response.json()["subtotal"]) + Decimal(expected_cost)


def test_pickup_reserves_only_at_chosen_warehouse(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 2)])
    payload = checkout_payload(delivery={"method": "pickup", "warehouse_id": shop.msk_warehouse.pk})
    response = checkout_request(cart=cart, payload=payload)
    assert response.status_code == 201
    assert response.json()["delivery_cost"] == "0.00"
    assert response.json()["pickup_warehouse_id"] == shop.msk_warehouse.pk


def test_pickup_from_other_region_warehouse_is_rejected(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    payload = checkout_payload(delivery={"method": "pickup", "warehouse_id": shop.spb_warehouse.pk})
    response = checkout_request(cart=cart, payload=payload)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "pickup_point_not_found"


def test_user_checks_out_to_saved_address(api_client, shop):
    user = UserFactory()
    address = AddressFactory(user=user, city="Казань", street="Баумана", house="5", apartment="12")
    cart_create(region=shop.msk, lines=[(shop.shirt, 1)], user=user)
    api_client.force_authenticate(user)
    payload = checkout_payload(delivery={"method": "courier", "address_id": address.pk})
    response = api_client.post(CHECKOUT, payload, format="json", HTTP_X_REGION="msk")
    assert response.status_code == 201
    assert response.json()["delivery_address"] == "Казань, Баумана, 5, кв./офис 12"
    assert Order.objects.get(number=response.json()["number"]).user == user


def test_someone_elses_address_is_not_found(api_client, shop):
    user = UserFactory()
    stranger_address = AddressFactory()
    cart_create(region=shop.msk, lines=[(shop.shirt, 1)], user=user)
    api_client.force_authenticate(user)
    payload = checkout_payload(delivery={"method": "courier", "address_id": stranger_address.pk})
    response = api_client.post(CHECKOUT, payload, format="json", HTTP_X_REGION="msk")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "address_not_found"
    assert not Order.objects.exists()


def test_checkout_more_than_available_is_clean_409_and_changes_nothing(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1), (shop.laptop, 6)])
    response = checkout_request(cart=cart)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stock_insufficient"
    assert "LAPTOP-1" in response.json()["error"]["message"]
    assert stock_of(shop.shirt, shop.msk_warehouse).reserved == 0
    assert not Order.objects.exists()
    assert cart.lines.count() == 2


def test_empty_cart_cannot_be_checked_out(shop):
    cart = cart_create(region=shop.msk, lines=[])
    response = checkout_request(cart=cart)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "cart_empty"


def test_cart_with_deactivated_variant_cannot_be_checked_out(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    Variant.objects.filter(pk=shop.shirt.pk).update(is_active=False)
    response = checkout_request(cart=cart)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "cart_has_problems"


def test_missing_contact_is_validation_error_with_field_paths(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    response = checkout_request(cart=cart, payload=checkout_payload(contact={"name": ""}))
    assert response.status_code == 400
    paths = {field["path"] for field in response.json()["error"]["fields"]}
    assert {"contact.name", "contact.phone"} <= paths


def test_order_history_starts_with_creation_record(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    body = checkout_request(cart=cart).json()
    assert [(row["from_status"], row["to_status"]) for row in body["history"]] == [("", OrderStatus.NEW)]


def test_reservation_rows_match_order_lines(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.laptop, 3)])
    order = Order.objects.get(number=checkout_request(cart=cart).json()["number"])
    reservation = OrderReservation.objects.get(order=order)
    assert (reservation.variant_id, reservation.warehouse_id, reservation.quantity) == (
        shop.laptop.pk,
        shop.msk_warehouse.pk,
        3,
    )


def test_checkout_refuses_when_the_total_differs_from_what_the_customer_saw(shop):
    # given: покупатель видел итог 2800 (рубашка 2500 + курьер 300), а цену подняли
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    from commerce.pricing.models import VariantPrice

    VariantPrice.objects.filter(variant=shop.shirt).update(price=Decimal("2600.00"))

    # when
    response = checkout_request(cart=cart, payload=checkout_payload(expected_total="2800.00"))

    # then: заказа нет, резерва нет, корзина цела
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "order_total_changed"
    assert "2900" in response.json()["error"]["message"]
    assert Order.objects.count() == 0
    assert Stock.objects.get(variant=shop.shirt).reserved == 0
    assert cart.lines.count() == 1


def test_checkout_with_the_matching_expected_total_goes_through(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])

    response = checkout_request(cart=cart, payload=checkout_payload(expected_total="2800.00"))

    assert response.status_code == 201, response.json()
    assert response.json()["total"] == "2800.00"


@pytest.mark.parametrize(
    ("enabled", "payment_method"),
    [
        (["cash_on_delivery"], "online"),
        (["test"], "cash_on_delivery"),
        ([], "online"),
    ],
)
def test_checkout_rejects_payment_method_the_region_has_not_enabled(shop, enabled, payment_method):
    # given: в Петербурге включены только провайдеры из enabled
    RegionPaymentProvider.objects.filter(region=shop.spb).exclude(provider__in=enabled).delete()
    cart = cart_create(region=shop.spb, lines=[(shop.shirt, 1)])
    # when
    response = checkout_request(cart=cart, payload=checkout_payload(payment_method=payment_method))
    # then: ясный отказ до резерва, корзина цела
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "payment_method_not_enabled"
    assert response.json()["error"]["message"] == "Этот способ оплаты недоступен в вашем регионе. Выберите другой."
    assert not Order.objects.exists()
    assert cart.lines.count() == 1


def test_switched_off_provider_row_does_not_enable_the_method(shop):
    RegionPaymentProvider.objects.filter(region=shop.msk, provider="test").update(is_enabled=False)
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    response = checkout_request(cart=cart)
    assert response.json()["error"]["code"] == "payment_method_not_enabled"


def test_provider_enabled_in_region_but_not_in_settings_does_not_enable_the_method(shop, settings):
    # given: в регионе включена ЮKassa, но в PAYMENTS_PROVIDERS её нет (нет ключей)
    RegionPaymentProvider.objects.filter(region=shop.msk, provider="test").update(provider="yookassa")
    assert "yookassa" not in settings.PAYMENTS_PROVIDERS
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    response = checkout_request(cart=cart)
    assert response.json()["error"]["code"] == "payment_method_not_enabled"


def test_each_method_enabled_in_the_region_is_accepted(shop):
    for payment_method in ("online", "cash_on_delivery"):
        cart = cart_create(region=shop.spb, lines=[(shop.shirt, 1)])
        Stock.objects.get_or_create(variant=shop.shirt, warehouse=shop.spb_warehouse, defaults={"quantity": 5})
        response = checkout_request(cart=cart, payload=checkout_payload(payment_method=payment_method))
        assert response.status_code == 201, response.json()
        assert response.json()["payment_method"] == payment_method


def test_second_checkout_of_an_already_ordered_cart_is_cart_empty_even_with_a_new_key(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    assert checkout_request(cart=cart, key="first-click-0001").status_code == 201
    response = checkout_request(cart=cart, key="second-click-0002")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "cart_empty"
    assert Order.objects.count() == 1


def test_storefront_reads_the_payment_methods_enabled_in_its_region(api_client, shop, settings):
    # given: в Петербурге только оплата при получении, и она требует подтверждённый телефон
    settings.ORDERS_COD_REQUIRE_CONFIRMED_PHONE = True
    RegionPaymentProvider.objects.filter(region=shop.spb, provider="test").delete()
    # when
    msk = api_client.get("/api/v1/payment-methods/", HTTP_X_REGION="msk")
    spb = api_client.get("/api/v1/payment-methods/", HTTP_X_REGION="spb")
    # then
    assert msk.status_code == 200
    body = msk.json()
    assert (body["count"], body["page"], body["num_pages"], body["next"], body["previous"]) == (2, 1, 1, None, None)
    assert [(method["code"], method["name"], method["requires_confirmed_phone"]) for method in body["results"]] == [
        ("online", "онлайн картой", False),
        ("cash_on_delivery", "при получении", True),
    ]
    online = body["results"][0]["providers"]
    assert [provider["code"] for provider in online] == ["test"]
    assert online[0]["options"] == [{"code": "bank_card", "name": "Банковская карта (тест)"}]
    assert [method["code"] for method in spb.json()["results"]] == ["cash_on_delivery"]
    assert spb.json()["results"][0]["providers"][0]["name"] == "Оплата при получении"
    assert msk["X-Region"] == "msk"


def placer(cart):
    return services.OrderPlacer(
        cart=cart,
        user=None,
        contact=services.Contact(name="Гость", phone="+79161234567"),
        delivery=services.Delivery(method="courier", address={"city": "Москва", "street": "Тверская", "house": "1"}),
        payment_method="online",
    )


def test_cart_deleted_before_its_lock_is_taken_is_cart_empty(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    order_placer = placer(cart)
    Cart.objects.filter(pk=cart.pk).delete()  # например, задача очистки брошенных корзин
    with pytest.raises(CartEmpty):
        order_placer.run()
    assert stock_of(shop.shirt, shop.msk_warehouse).reserved == 0


def test_cart_moved_to_another_region_mid_checkout_is_a_conflict_not_an_order_in_the_old_region(shop):
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
    order_placer = placer(cart)
    Cart.objects.filter(pk=cart.pk).update(region=shop.spb)  # параллельный запрос сменил регион
    with pytest.raises(CheckoutConflict):
        order_placer.run()
    assert not Order.objects.exists()
