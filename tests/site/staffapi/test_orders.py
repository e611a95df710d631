"""Заказы в API сотрудников: очередь с фильтрами и курсором, карточка, переходы, ETag, заметки."""

from decimal import Decimal

import pytest

from commerce.orders.models import Order
from commerce.orders.status import OrderStatus
from staffapi.models import StaffAction
from tests.factories.orders import OrderFactory, OrderLineFactory
from tests.site.staffapi.conftest import BASE

pytestmark = pytest.mark.django_db


def order_url(order, suffix=""):
    return f"{BASE}orders/{order.number}/{suffix}"


def test_order_list_filters_by_status_region_and_search(orders, manager_client):
    # when
    everything = manager_client.get(f"{BASE}orders/").json()
    paid = manager_client.get(f"{BASE}orders/", {"status": "paid"}).json()
    spb = manager_client.get(f"{BASE}orders/", {"region": "spb"}).json()
    by_email = manager_client.get(f"{BASE}orders/", {"q": "A@example.ru"}).json()
    by_phone = manager_client.get(f"{BASE}orders/", {"q": "8 (903) 111-22-33"}).json()
    by_number = manager_client.get(f"{BASE}orders/", {"q": orders.spb_new.number}).json()

    # then
    assert len(everything["results"]) == 3
    assert [row["number"] for row in paid["results"]] == [orders.msk_paid.number]
    assert [row["number"] for row in spb["results"]] == [orders.spb_new.number]
    assert [row["number"] for row in by_email["results"]] == [orders.msk_new.number]
    assert [row["number"] for row in by_phone["results"]] == [orders.msk_paid.number]
    assert [row["number"] for row in by_number["results"]] == [orders.spb_new.number]
    assert everything["results"][0]["lines_count"] == 1


def test_order_list_rejects_unknown_filter_values_with_400(orders, manager_client):
    response = manager_client.get(f"{BASE}orders/", {"status": "teleported", "created_from": "вчера"})

    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "validation_error"
    assert {field["path"] for field in body["fields"]} == {"status.0", "created_from"}


def test_order_list_cursor_walks_all_pages_without_repeats(regions, manager_client):
    # given
    numbers = {OrderFactory(region=regions.msk).number for _ in range(7)}

    # when
    seen = []
    url = f"{BASE}orders/?page_size=3"
    while url:
        page = manager_client.get(url).json()
        seen += [row["number"] for row in page["results"]]
        url = page["next"]

    # then
    assert len(seen) == 7
    assert set(seen) == numbers


def test_order_list_runs_constant_queries_whatever_the_page_size(
    regions, manager_client, django_assert_max_num_queries
):
    for _ in range(30):
        OrderLineFactory(order=OrderFactory(region=regions.msk))
    manager_client.get(f"{BASE}orders/?page_size=2")  # прогрев: сессия, права, типы содержимого

    with django_assert_max_num_queries(8) as small:
        manager_client.get(f"{BASE}orders/?page_size=2")
    with django_assert_max_num_queries(8) as large:
        response = manager_client.get(f"{BASE}orders/?page_size=30")

    assert len(response.json()["results"]) == 30
    assert len(large.captured_queries) == len(small.captured_queries)


def test_order_detail_has_lines_history_etag_and_allowed_transitions(orders, manager_client):
    response = manager_client.get(order_url(orders.msk_new))

    assert response.status_code == 200
    body = response.json()
    assert response["ETag"] == body["etag"]
    assert [line["sku"] for line in body["lines"]] == [orders.msk_new.lines.get().sku]
    assert [item["value"] for item in body["allowed_transitions"]] == [
        "awaiting_payment",
        "paid",
        "assembling",
        "cancelled",
    ]
    assert body["payments"] == [] and body["notes"] == []


def test_order_detail_of_unknown_number_is_404_json(orders, manager_client):
    response = manager_client.get(f"{BASE}orders/NOPE-1/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_transition_changes_status_writes_history_and_audit(orders, manager_client, manager):
    # given
    etag = manager_client.get(order_url(orders.msk_new))["ETag"]

    # when
    response = manager_client.post(
        order_url(orders.msk_new, "transition/"),
        {"to_status": "assembling", "comment": "Подтвердили по телефону"},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    # then
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "assembling"
    assert response["ETag"] != etag
    orders.msk_new.refresh_from_db()
    assert orders.msk_new.status == OrderStatus.ASSEMBLING
    change = orders.msk_new.history.get()
    assert (change.changed_by, change.comment) == (manager, "Подтвердили по телефону")
    action = StaffAction.objects.get(action="order.transition")
    assert action.actor == manager
    assert action.object_id == str(orders.msk_new.pk)
    assert action.before["status"] == "new"
    assert action.after["status"] == "assembling"


def test_transition_not_in_table_is_409_and_changes_nothing(orders, manager_client):
    etag = manager_client.get(order_url(orders.msk_paid))["ETag"]

    response = manager_client.post(
        order_url(orders.msk_paid, "transition/"), {"to_status": "new"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "order_transition_not_allowed"
    assert Order.objects.get(pk=orders.msk_paid.pk).status == OrderStatus.PAID
    assert not StaffAction.objects.exists()


def test_transition_with_stale_etag_is_412_and_without_if_match_is_428(orders, manager_client):
    # given: два менеджера открыли одну карточку, первый уже сменил статус
    stale = manager_client.get(order_url(orders.msk_new))["ETag"]
    first = manager_client.post(
        order_url(orders.msk_new, "transition/"), {"to_status": "awaiting_payment"}, format="json", HTTP_IF_MATCH=stale
    )
    assert first.status_code == 200

    # when
    second = manager_client.post(
        order_url(orders.msk_new, "transition/"), {"to_status": "cancelled"}, format="json", HTTP_IF_MATCH=stale
    )
    missing = manager_client.post(order_url(orders.msk_new, "transition/"), {"to_status": "cancelled"}, format="json")

    # then
    assert second.status_code == 412
    assert second.json()["error"]["code"] == "precondition_failed"
    assert missing.status_code == 428
    assert missing.json()["error"]["code"] == "precondition_required"
    assert Order.objects.get(pk=orders.msk_new.pk).status == OrderStatus.AWAITING_PAYMENT


def test_notes_are_added_listed_and_audited(orders, manager_client, manager):
    created = manager_client.post(
        order_url(orders.msk_new, "notes/"), {"text": "  Перезвонить после 18:00 "}, format="json"
    )
    listed = manager_client.get(order_url(orders.msk_new, "notes/"))
    card = manager_client.get(order_url(orders.msk_new)).json()

    assert created.status_code == 201
    assert created.json()["text"] == "Перезвонить после 18:00"
    assert created.json()["author"] == manager.username
    assert [note["text"] for note in listed.json()] == ["Перезвонить после 18:00"]
    assert [note["text"] for note in card["notes"]] == ["Перезвонить после 18:00"]
    assert StaffAction.objects.filter(action="order.note_add", object_id=str(orders.msk_new.pk)).count() == 1


def test_empty_note_is_400(orders, manager_client):
    response = manager_client.post(order_url(orders.msk_new, "notes/"), {"text": "   "}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["path"] == "text"


def test_write_without_csrf_token_is_refused(orders, manager):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(manager)

    response = client.post(order_url(orders.msk_new, "notes/"), {"text": "без токена"}, format="json")

    assert response.status_code == 403
    assert not orders.msk_new.staff_notes.exists()


def test_cash_on_delivery_order_is_not_offered_awaiting_payment(regions, manager_client):
    # given: заказ с оплатой при получении подтверждается переводом в «собирается», онлайн-оплаты он не ждёт
    order = OrderFactory(region=regions.msk, payment_method="cash_on_delivery")

    # when
    offered = [item["value"] for item in manager_client.get(order_url(order)).json()["allowed_transitions"]]

    # then
    assert "awaiting_payment" not in offered
    assert "assembling" in offered


def test_order_detail_shows_the_discounts_a_promotion_gave(orders, manager_client):
    # given: заказ с промокодом, скидкой на строку и подарком
    order = orders.msk_new
    line = order.lines.get()
    line.discount, line.line_total, line.old_unit_price = Decimal("100.00"), Decimal("900.00"), Decimal("600.00")
    line.save()
    OrderLineFactory(
        order=order, sku="GIFT-1", unit_price=Decimal("0.00"), quantity=1, line_total=Decimal("0.00"), is_gift=True
    )
    order.promo_code, order.discount_total = "SPRING", Decimal("100.00")
    order.total -= order.discount_total
    order.save(update_fields=["promo_code", "discount_total", "total"])

    body = manager_client.get(order_url(order)).json()

    assert body["promo_code"] == "SPRING" and body["discount_total"] == "100.00"
    by_sku = {item["sku"]: item for item in body["lines"]}
    assert by_sku[line.sku]["discount"] == "100.00" and by_sku[line.sku]["old_unit_price"] == "600.00"
    assert by_sku["GIFT-1"]["is_gift"] is True and by_sku[line.sku]["is_gift"] is False
