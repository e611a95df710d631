"""Состав заказа из 1С: изменённые строки применяются сервисом правки строк, по транзакции на заказ.

Фейковая 1С проходит последовательность type=sale: checkauth → init → query → success → file
(+ import) с документами, в которых 1С изменила количество, цену, убрала и добавила товары.
"""

from decimal import Decimal

import pytest
from defusedxml import ElementTree as ET

from commerce.inventory.models import Stock
from commerce.orders import services as order_services
from commerce.orders.models import Order, OrderLine, OrderLineChange, OrderStatusChange
from integrations.core.models import ExternalId, ExternalKind, SyncRun
from tests.commerce.orders.helpers import cart_create, checkout_payload, checkout_request

pytestmark = pytest.mark.django_db(transaction=True)


def place(shop, lines):
    cart = cart_create(region=shop.msk, lines=lines)
    response = checkout_request(cart=cart, payload=checkout_payload())
    assert response.status_code == 201, response.json()
    return Order.objects.get(number=response.json()["number"])


def reserved(shop, variant):
    return Stock.objects.get(variant=variant, warehouse=shop.msk_warehouse).reserved


@pytest.fixture
def mapped(shop, onec_connection):
    """Варианты магазина сопоставлены Ид 1С (как после обмена каталогом)."""
    for external_id, variant in (("guid-shirt", shop.shirt), ("guid-phone", shop.phone), ("guid-laptop", shop.laptop)):
        ExternalId.objects.create(
            connection=onec_connection, kind=ExternalKind.VARIANT, external_id=external_id, object_id=str(variant.pk)
        )
    return shop


def good(item_id, quantity, price, *, total=None, sku=""):
    total = Decimal(price) * quantity if total is None else Decimal(total)
    return (
        f"<Товар><Ид>{item_id}</Ид><Артикул>{sku}</Артикул><Наименование>{item_id}</Наименование>"
        f"<ЦенаЗаЕдиницу>{price}</ЦенаЗаЕдиницу><Количество>{quantity}</Количество><Сумма>{total:.2f}</Сумма></Товар>"
    )


def document(number, goods, requisites=()):
    values = "".join(
        f"<ЗначениеРеквизита><Наименование>{name}</Наименование><Значение>{value}</Значение></ЗначениеРеквизита>"
        for name, value in requisites
    )
    return (
        f"<Документ><Ид>{number}</Ид><Номер>{number}</Номер><Дата>2026-12-07</Дата>"
        f"<ХозОперация>Заказ товара</ХозОперация><Роль>Продавец</Роль><Валюта>RUB</Валюта><Курс>1</Курс>"
        f"<Товары>{''.join(goods)}</Товары><ЗначенияРеквизитов>{values}</ЗначенияРеквизитов></Документ>"
    )


def orders_file(*documents):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_210" ВерсияСхемы="2.10">'
        f"{''.join(documents)}</КоммерческаяИнформация>"
    ).encode()


def send(fake_onec, body, filename="orders-1c.xml"):
    """Обмен заказами: checkauth → init → file → import; вернуть последний ответ import."""
    assert fake_onec.checkauth("sale")[0] == "success"
    fake_onec.init("sale")
    assert fake_onec.upload(filename, body, exchange_type="sale")[-1][0] == "success"
    return fake_onec.import_file(filename, exchange_type="sale")[0]


def test_changed_lines_from_1c_move_reservations_and_recompute_totals(fake_onec, onec_connection, mapped):
    # given: заказ с сайта — рубашка × 2, телефон × 1 (в резерве); 1С его забрала
    shop = mapped
    order = place(shop, [(shop.shirt, 2), (shop.phone, 1)])
    assert fake_onec.checkauth("sale")[0] == "success"
    fake_onec.init("sale")
    assert order.number.encode() in fake_onec.call("sale", "query").content
    fake_onec.call("sale", "success")

    # when: 1С прислала заказ: рубашек 3, телефон убран, ноутбук со своей ценой, доставка 500
    body = orders_file(
        document(
            order.number,
            [good("guid-shirt", 3, "2500.00"), good("guid-laptop", 1, "85000.00"), good("ORDER_DELIVERY", 1, "500")],
        )
    )
    answer = send(fake_onec, body)

    # then
    assert answer[0] == "success"
    assert (reserved(shop, shop.shirt), reserved(shop, shop.phone), reserved(shop, shop.laptop)) == (3, 0, 1)
    lines = dict(OrderLine.objects.filter(order=order).values_list("sku", "line_total"))
    assert lines == {"SHIRT-1": Decimal("7500.00"), "LAPTOP-1": Decimal("85000.00")}
    order.refresh_from_db()
    assert (order.subtotal, order.delivery_cost, order.total) == (
        Decimal("92500.00"),
        Decimal("500.00"),
        Decimal("93000.00"),
    )
    record = OrderLineChange.objects.get(order=order)
    assert record.comment.startswith("1С")
    assert record.changed_by is None
    run = SyncRun.objects.filter(connection=onec_connection).latest("pk")
    assert run.updated == 1 and run.failed == 0

    # Изменённый заказ уйдёт в 1С снова — уже с пересчитанным итогом сайта.
    assert fake_onec.checkauth("sale")[0] == "success"
    fake_onec.init("sale")
    assert b"<\xd0\xa1\xd1\x83\xd0\xbc\xd0\xbc\xd0\xb0>93000.00<" in fake_onec.call("sale", "query").content  # Сумма


def test_the_document_1c_got_from_query_sent_back_changes_nothing(fake_onec, mapped):
    shop = mapped
    order = place(shop, [(shop.shirt, 2), (shop.phone, 1)])
    assert fake_onec.checkauth("sale")[0] == "success"
    fake_onec.init("sale")
    exported = fake_onec.call("sale", "query").content
    before = (order.total, reserved(shop, shop.shirt), reserved(shop, shop.phone), order.updated_at)

    answer = send(fake_onec, exported, filename="documents___echo.xml")

    assert answer[0] == "success"
    order.refresh_from_db()
    assert (order.total, reserved(shop, shop.shirt), reserved(shop, shop.phone), order.updated_at) == before
    assert not OrderLineChange.objects.exists()
    assert OrderStatusChange.objects.filter(order=order).count() == 1


def test_forbidden_changes_are_reported_per_order_and_nothing_is_half_applied(fake_onec, onec_connection, mapped):
    # given: отгруженный заказ, обычный заказ и ещё один обычный
    shop = mapped
    shipped = place(shop, [(shop.shirt, 1)])
    for status in ("paid", "assembling", "shipped"):
        shipped = order_services.order_status_change(order=shipped, to_status=status)
    greedy = place(shop, [(shop.phone, 1)])
    fine = place(shop, [(shop.laptop, 1)])

    # when: 1С меняет состав отгруженного; просит 9 телефонов (на складе 5) и тут же оплату и отгрузку;
    # третьему заказу добавляет рубашку; четвёртая строка — товар, которого на сайте нет
    body = orders_file(
        document(shipped.number, [good("guid-shirt", 2, "2500.00")]),
        document(
            greedy.number,
            [good("guid-phone", 9, "19000.00")],
            requisites=[("Дата оплаты по 1С", "2026-12-07T10:00:00"), ("Статус заказа", "[F] Отгружен")],
        ),
        document(fine.number, [good("guid-laptop", 1, "90000.00"), good("guid-shirt", 1, "2500.00")]),
        document(fine.number.replace("-", "-9"), [good("no-such-guid", 1, "1.00")]),
    )
    answer = send(fake_onec, body)

    # then: ответ 1С — success (ошибки — в журнале сессии), каждый заказ сам по себе
    assert answer[0] == "success"
    run = SyncRun.objects.filter(connection=onec_connection).latest("pk")
    errors = {error["object"]: error["message"] for error in run.errors}
    assert "уже нельзя изменить" in errors[shipped.number]
    assert "Не хватает на складе: PHONE-1" in errors[greedy.number]
    assert run.updated == 1
    shipped.refresh_from_db()
    greedy.refresh_from_db()
    assert OrderLine.objects.get(order=shipped).quantity == 1
    assert greedy.status == "new" and greedy.paid_at is None, "оплата и статус того же документа откатились"
    assert OrderLine.objects.get(order=greedy).quantity == 1 and reserved(shop, shop.phone) == 1
    assert set(OrderLine.objects.filter(order=fine).values_list("sku", flat=True)) == {"LAPTOP-1", "SHIRT-1"}
    assert reserved(shop, shop.shirt) == 1


def test_unknown_product_in_a_1c_line_is_an_error_with_its_id(fake_onec, onec_connection, mapped):
    shop = mapped
    order = place(shop, [(shop.shirt, 1)])

    send(fake_onec, orders_file(document(order.number, [good("guid-shirt", 1, "2500"), good("p-777", 1, "10")])))

    run = SyncRun.objects.filter(connection=onec_connection).latest("pk")
    assert "Ид «p-777»" in run.errors[0]["message"] and run.errors[0]["object"] == order.number
    assert OrderLine.objects.filter(order=order).count() == 1


def local(tag):
    return tag.rsplit("}", 1)[-1]


def test_query_sends_unit_and_vat_of_the_product(fake_onec, mapped):
    # given: кофе на развес (кг, НДС 10 %) и рубашка без данных из 1С
    shop = mapped
    from commerce.catalog.models import Product

    Product.objects.filter(pk=shop.phone.product_id).update(
        unit_code="166", unit_name="кг", unit_full_name="Килограмм", unit_international="KGM", vat_rate="10"
    )
    order = place(shop, [(shop.phone, 2), (shop.shirt, 1)])
    assert fake_onec.checkauth("sale")[0] == "success"
    fake_onec.init("sale")

    # when
    root = ET.fromstring(fake_onec.call("sale", "query").content)

    # then
    doc = next(item for item in root if local(item.tag) == "Документ")
    goods = {
        next(child.text for child in item if local(child.tag) == "Артикул"): {local(child.tag): child for child in item}
        for block in doc
        if local(block.tag) == "Товары"
        for item in block
        if any(local(child.tag) == "Артикул" for child in item)
    }
    phone = goods["PHONE-1"]
    assert phone["БазоваяЕдиница"].text == "кг" and phone["БазоваяЕдиница"].get("Код") == "166"
    rate = {local(child.tag): child.text for child in phone["СтавкиНалогов"][0]}
    assert rate == {"Наименование": "НДС", "Ставка": "10"}
    tax = {local(child.tag): child.text for child in phone["Налоги"][0]}
    assert tax == {"Наименование": "НДС", "УчтеноВСумме": "true", "Сумма": "3454.55"}  # 38000 × 10 / 110
    shirt = goods["SHIRT-1"]
    assert shirt["БазоваяЕдиница"].text == "шт" and shirt["БазоваяЕдиница"].get("Код") == "796"
    assert "СтавкиНалогов" not in shirt, "ставка неизвестна — 1С возьмёт свою"
    document_tax = next(block for block in doc if local(block.tag) == "Налоги")
    assert {local(child.tag): child.text for child in document_tax[0]}["Сумма"] == "3454.55"
    assert order.number == next(child.text for child in doc if local(child.tag) == "Номер")
