"""Заказы в ERPNext: покупатель и Sales Order ровно один раз через outbox, отмена заказа."""

import pytest

from commerce.orders.services import order_status_change
from commerce.orders.status import OrderStatus
from integrations.core.models import Delivery, DeliveryState, ExternalId, ExternalKind
from integrations.core.sync import sync_run
from tests.integrations.erpnext.conftest import catalog_seed
from tests.integrations.helpers import all_delivered, deliver_all, order_place, redeliver, wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(erp, fake):
    """Каталог загружен из ERPNext."""
    catalog_seed(fake)
    sync_run(connection=erp, full=True)


def test_order_becomes_customer_and_submitted_sales_order(shop, erp, fake, catalog):
    # when
    order = order_place(shop, [("SH-100-38", 2), ("CASE-1", 1)])
    assert deliver_all(erp) == [True]

    # then: покупатель создан с телефоном и e-mail
    (customer,) = fake.docs["Customer"].values()
    assert customer["customer_name"] == "Иван Петров"
    assert customer["mobile_no"] == "+79161234567"
    assert customer["email_id"] == "ivan@example.ru"
    assert customer["customer_group"] == "Физические лица"
    # заказ покупателя проведён, с нашим номером, ценами, шаблоном налогов и сроком поставки
    (sales_order,) = fake.sales_orders()
    assert sales_order["docstatus"] == 1
    assert sales_order["po_no"] == order.number
    assert sales_order["customer"] == customer["name"]
    assert sales_order["company"] == "ООО Магазин"
    assert sales_order["taxes_and_charges"] == "НДС 20% - М"
    # прайс-лист региона (msk) не сопоставлен прайс-листу ERPNext — цены идут строками заказа
    assert "selling_price_list" not in sales_order
    assert sales_order["ignore_pricing_rule"] == 1
    assert sales_order["delivery_date"] > sales_order["transaction_date"]
    items = {item["item_code"]: (item["qty"], item["rate"]) for item in sales_order["items"]}
    assert items == {"SH-100-38": (2, 4990.0), "CASE-1": (1, 990.0)}
    assert (
        ExternalId.objects.get(connection=erp, kind=ExternalKind.ORDER, object_id=str(order.pk)).external_id
        == (sales_order["name"])
    )


def test_redelivered_order_does_not_duplicate_sales_order(shop, erp, fake, catalog):
    order_place(shop, [("CASE-1", 1)])
    deliver_all(erp)

    # when: outbox прислал то же событие ещё раз
    assert redeliver(erp) == [True]

    # then
    assert len(fake.sales_orders()) == 1
    assert len(fake.docs["Customer"]) == 1


def test_lost_answer_to_create_is_found_by_po_no_on_retry(shop, erp, fake, catalog):
    # given: ERPNext создал заказ, но ответ потерялся (502)
    fake.lose_next_insert.add("Sales Order")
    order = order_place(shop, [("CASE-1", 1)])
    assert deliver_all(erp) == [False]
    delivery = Delivery.objects.get(connection=erp)
    assert delivery.state == DeliveryState.PENDING

    # when: повтор доставки
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created_at)
    assert deliver_all(erp) == [True]

    # then: один Sales Order, и он сопоставлен заказу
    (sales_order,) = fake.sales_orders()
    assert ExternalId.objects.get(connection=erp, kind=ExternalKind.ORDER).external_id == sales_order["name"]
    assert sales_order["po_no"] == order.number


def test_existing_customer_is_found_by_phone(shop, erp, fake, catalog):
    fake.docs_put("Customer", {"name": "Петров И.", "customer_name": "Петров И.", "mobile_no": "+79161234567"})

    order_place(shop, [("CASE-1", 1)], email="other@example.ru")
    deliver_all(erp)

    assert list(fake.docs["Customer"]) == ["Петров И."]
    assert fake.sales_orders()[0]["customer"] == "Петров И."


def test_cancelled_order_cancels_sales_order(shop, erp, fake, catalog):
    # given
    order = order_place(shop, [("CASE-1", 1)])
    deliver_all(erp)

    # when: заказ отменён в магазине
    order_status_change(order=order, to_status=OrderStatus.CANCELLED)
    assert deliver_all(erp) == [True]

    # then: Sales Order отменён (docstatus 2), новый не создан
    (sales_order,) = fake.sales_orders()
    assert sales_order["docstatus"] == 2
    assert sales_order["status"] == "Cancelled"


def test_cancel_retries_once_when_erpnext_reports_concurrent_edit(shop, erp, fake, catalog):
    order = order_place(shop, [("CASE-1", 1)])
    deliver_all(erp)
    fake.conflicts = 1

    order_status_change(order=order, to_status=OrderStatus.CANCELLED)

    assert deliver_all(erp) == [True]
    assert fake.sales_orders()[0]["docstatus"] == 2


def test_cancel_of_delivered_sales_order_is_refused_with_reason(shop, erp, fake, catalog):
    # given: в ERPNext по заказу уже отгрузили товар
    order = order_place(shop, [("CASE-1", 1)])
    deliver_all(erp)
    (sales_order,) = fake.sales_orders()
    fake.delivery_note_add(sales_order["name"])

    # when
    order_status_change(order=order, to_status=OrderStatus.CANCELLED)
    assert deliver_all(erp) == [False]

    # then: доставка «мёртвая» с понятной причиной, Sales Order не тронут
    dead = Delivery.objects.get(connection=erp, event__kind="order.cancelled")
    assert dead.state == DeliveryState.DEAD
    assert "вручную" in dead.last_error
    assert fake.sales_orders()[0]["docstatus"] == 1


def test_draft_sales_order_is_deleted_on_cancel(shop, erp, fake, catalog):
    erp.options = {**erp.options, "submit_orders": False}
    erp.save(update_fields=["options"])
    order = order_place(shop, [("CASE-1", 1)])
    deliver_all(erp)
    assert fake.sales_orders()[0]["docstatus"] == 0

    order_status_change(order=order, to_status=OrderStatus.CANCELLED)
    deliver_all(erp)

    assert fake.sales_orders() == []


def test_order_with_goods_not_from_erpnext_is_dead_with_reason(shop, erp, fake, catalog):
    # given: рубашка заведена в магазине, в ERPNext её нет
    order_place(shop, [("SHIRT-1", 1)])

    # when
    assert deliver_all(erp) == [False]

    # then
    delivery = Delivery.objects.get(connection=erp)
    assert delivery.state == DeliveryState.DEAD
    assert "SHIRT-1" in delivery.last_error
    assert fake.sales_orders() == []


@pytest.mark.redis_only(reason="настоящий воркер Celery берёт задачи из брокера Redis")
@pytest.mark.django_db(transaction=True)
def test_orders_made_while_erpnext_fails_reach_it_once_each(shop, erp, fake, integrations_worker):
    # given: каталог загружен, потом ERPNext начинает отвечать 503
    catalog_seed(fake)
    sync_run(connection=erp, full=True)
    fake.fail.extend([503] * 4)

    # when: два заказа, затем отмена первого
    first = order_place(shop, [("CASE-1", 1)])
    order_place(shop, [("SH-100-38", 1)], phone="+7 903 000-00-01", email="anna@example.ru", name="Анна")
    order_status_change(order=first, to_status=OrderStatus.CANCELLED)
    assert wait_until(all_delivered, timeout=90)

    # then: по Sales Order на заказ, первый отменён после создания (порядок по объекту)
    orders = {item["po_no"]: item for item in fake.sales_orders()}
    assert len(orders) == 2
    assert orders[first.number]["docstatus"] == 2
    assert len(fake.docs["Customer"]) == 2
