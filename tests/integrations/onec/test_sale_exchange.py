"""Обмен заказами: query отдаёт неподтверждённые заказы, success отмечает ровно их, файл из 1С меняет статусы."""

import pytest
from defusedxml import ElementTree as ET

from commerce.orders.models import Order, OrderStatusChange
from integrations.core.models import ExternalId, ExternalKind, SyncRun
from integrations.onec.models import OrderExport
from tests.factories.orders import OrderFactory, OrderLineFactory
from tests.integrations.onec.conftest import data

pytestmark = pytest.mark.django_db(transaction=True)


def local(tag):
    return tag.rsplit("}", 1)[-1]


def documents(body):
    root = ET.fromstring(body)
    return {
        next(child.text for child in document if local(child.tag) == "Номер"): document
        for document in root
        if local(document.tag) == "Документ"
    }


def sale_session(fake_onec):
    assert fake_onec.checkauth("sale")[0] == "success"
    fake_onec.init("sale")


@pytest.fixture
def orders(shop, onec_connection):
    first = OrderFactory(region=shop.msk)
    OrderLineFactory(order=first, variant=shop.phone, sku="PHONE-1", product_name="Телефон", quantity=2)
    ExternalId.objects.create(
        connection=onec_connection, kind=ExternalKind.VARIANT, external_id="guid-phone", object_id=str(shop.phone.pk)
    )
    second = OrderFactory(region=shop.msk, comment="Позвонить заранее")
    OrderLineFactory(order=second, sku="SHIRT-1", product_name="Рубашка", variant_name="XL")
    return first, second


def test_query_success_marks_exactly_the_orders_sent(fake_onec, onec_connection, orders, shop):
    first, second = orders
    sale_session(fake_onec)

    response = fake_onec.call("sale", "query")

    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    sent = documents(response.content)
    assert set(sent) == {first.number, second.number}
    document = sent[first.number]
    goods = [item for block in document if local(block.tag) == "Товары" for item in block]
    ids = [next(child.text for child in item if local(child.tag) == "Ид") for item in goods]
    assert ids == ["guid-phone", "ORDER_DELIVERY"], "вариант — по Ид 1С, доставка — псевдотоваром"
    assert (
        b"\xd0\x9f\xd0\xbe\xd0\xb7\xd0\xb2\xd0\xbe\xd0\xbd\xd0\xb8\xd1\x82\xd1\x8c" in response.content
    )  # «Позвонить»

    # Заказ, оформленный между query и success, не должен потеряться.
    late = OrderFactory(region=shop.msk)
    assert fake_onec.lines(fake_onec.call("sale", "success")) == ["success"]

    assert set(OrderExport.objects.values_list("order_id", flat=True)) == {first.pk, second.pk}
    again = documents(fake_onec.call("sale", "query").content)
    assert set(again) == {late.number}
    run = SyncRun.objects.filter(connection=onec_connection, direction="push").latest("pk")
    assert run.created == 2 and run.finished_at


def test_query_without_success_resends_next_time(fake_onec, orders):
    sale_session(fake_onec)
    fake_onec.call("sale", "query")
    sale_session(fake_onec)

    assert len(documents(fake_onec.call("sale", "query").content)) == 2


def test_windows_1251_option(fake_onec, onec_connection, orders):
    onec_connection.options = {**onec_connection.options, "encoding": "windows-1251"}
    onec_connection.save()
    sale_session(fake_onec)

    response = fake_onec.call("sale", "query")

    assert response.headers["Content-Type"] == "application/xml; charset=windows-1251"
    assert response.content.startswith(b"<?xml version='1.0' encoding='windows-1251'?>")
    assert "Позвонить заранее".encode("cp1251") in response.content
    assert len(documents(response.content)) == 2


def test_orders_file_from_1c_pays_and_ships_through_status_machine(fake_onec, onec_connection, orders):
    first, _second = orders
    sale_session(fake_onec)
    body = data("orders_from_1c.xml").replace(b"{number}", first.number.encode())

    answers = fake_onec.upload(f"orders-{first.number}.xml", body, exchange_type="sale")
    lines, _calls = fake_onec.import_file(f"orders-{first.number}.xml", exchange_type="sale")

    assert answers == [["success"]]
    assert lines[0] == "success"
    first.refresh_from_db()
    assert first.status == "shipped"
    assert first.paid_at is not None and first.payment_reference == "1С ПКО-77"
    history = list(OrderStatusChange.objects.filter(order=first).values_list("to_status", "comment"))
    assert [status for status, _comment in history] == ["paid", "assembling", "shipped"]
    assert all(comment.startswith("1С") for _status, comment in history)
    run = SyncRun.objects.filter(connection=onec_connection).latest("pk")
    assert run.updated == 1 and run.skipped == 1
    assert any(error["object"] == "NO-SUCH" for error in run.errors)

    # Повтор того же файла ничего не меняет.
    sale_session(fake_onec)
    fake_onec.upload("orders-again.xml", body, exchange_type="sale")
    assert OrderStatusChange.objects.filter(order=first).count() == 3


def test_orders_file_with_forbidden_transition_is_reported(fake_onec, onec_connection, orders):
    first, _second = orders
    Order.objects.filter(pk=first.pk).update(status="cancelled")
    sale_session(fake_onec)
    body = data("orders_from_1c.xml").replace(b"{number}", first.number.encode())
    body = body.replace("Дата оплаты по 1С".encode(), "Другое".encode())

    assert fake_onec.upload("orders.xml", body, exchange_type="sale") == [["success"]]

    first.refresh_from_db()
    assert first.status == "cancelled"
    run = SyncRun.objects.filter(connection=onec_connection).latest("pk")
    assert any("Нельзя перевести" in error["message"] for error in run.errors)


def test_chunked_orders_file_is_applied_after_its_last_chunk(fake_onec, orders, settings):
    first, _second = orders
    settings.ONEC_FILE_LIMIT = 500
    sale_session(fake_onec)
    body = data("orders_from_1c.xml").replace(b"{number}", first.number.encode())

    answers = fake_onec.upload("orders.xml", body, exchange_type="sale")

    assert len(answers) == len(body) // 500 + 1 >= 3
    assert all(answer == ["success"] for answer in answers)
    first.refresh_from_db()
    assert first.status == "shipped"


def test_line_discount_is_sent_as_skidka_counted_in_the_sum(fake_onec, shop):
    # given: строка со скидкой акции 333,34 ₽ (500 × 3 − 333,34 = 1166,66)
    order = OrderFactory(region=shop.msk)
    OrderLineFactory(
        order=order, sku="SALE-1", unit_price="500.00", quantity=3, discount="333.34", line_total="1166.66"
    )
    plain = OrderFactory(region=shop.msk)
    OrderLineFactory(order=plain, sku="PLAIN-1")
    sale_session(fake_onec)

    # when
    sent = documents(fake_onec.call("sale", "query").content)

    # then: скидка — элемент Скидки строки, учтённый в её Сумме; строка без скидки — без него
    def line(document, sku):
        goods = [item for block in document if local(block.tag) == "Товары" for item in block]
        return next(item for item in goods if any(local(c.tag) == "Артикул" and c.text == sku for c in item))

    item = {local(child.tag): child for child in line(sent[order.number], "SALE-1")}
    assert item["ЦенаЗаЕдиницу"].text == "500.00" and item["Сумма"].text == "1166.66"
    discount = {local(child.tag): child.text for child in item["Скидки"][0]}
    assert discount["Сумма"] == "333.34" and discount["УчтеноВСумме"] == "true"
    assert not [c for c in line(sent[plain.number], "PLAIN-1") if local(c.tag) == "Скидки"]
