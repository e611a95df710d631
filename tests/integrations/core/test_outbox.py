"""Transactional outbox: события в транзакции изменения, доставка ровно один раз, по порядку, повторы и dead letter."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from commerce.orders.models import Order
from commerce.orders.services import order_mark_paid
from integrations.core.models import Delivery, DeliveryState, OutboxEvent
from integrations.core.outbox import deliveries_claim, delivery_send, outbox_deliver_due, outbox_event_add
from tests.commerce.orders.helpers import cart_create, checkout_request
from tests.factories.integrations import ConnectionFactory
from tests.integrations.core.receiver import FakeReceiver
from tests.integrations.helpers import all_delivered, retries_fast, wait_until


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    retries_fast(settings)


def orders_place_and_pay(shop, count):
    """Оформить ``count`` заказов через API и оплатить каждый; вернуть заказы."""
    orders = []
    for _ in range(count):
        cart = cart_create(region=shop.msk, lines=[(shop.shirt, 1)])
        response = checkout_request(cart=cart)
        assert response.status_code == 201, response.content
        order = Order.objects.get(number=response.json()["number"])
        order_mark_paid(order=order, payment_reference="pay-1")
        orders.append(order)
    return orders


@pytest.mark.django_db
def test_event_is_written_in_the_same_transaction_and_rolls_back_with_it():
    ConnectionFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_event_add(kind="order.paid", object_type="order", object_id=1, payload={})
        raise RuntimeError("откат изменения")

    assert not OutboxEvent.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_order_created_and_paid_write_events_for_subscribed_connections_only(shop):
    everything = ConnectionFactory()
    paid_only = ConnectionFactory(options={"events": ["order.paid"]})
    ConnectionFactory(enabled=False)

    (order,) = orders_place_and_pay(shop, 1)

    kinds = list(OutboxEvent.objects.filter(object_id=str(order.pk)).values_list("kind", flat=True))
    assert kinds[0] == "order.created"
    assert "order.paid" in kinds
    assert kinds.index("order.paid") > 0
    assert set(Delivery.objects.filter(connection=paid_only).values_list("event__kind", flat=True)) == {"order.paid"}
    assert Delivery.objects.filter(connection=everything, event__object_type="order").count() == len(kinds)
    # Резерв и списание меняют остаток — это тоже события (stock.changed).
    assert Delivery.objects.filter(connection=everything, event__kind="stock.changed").exists()
    assert not Delivery.objects.filter(connection=paid_only).exclude(event__kind="order.paid").exists()


@pytest.mark.django_db
def test_checkout_reserving_stock_in_one_update_writes_a_stock_event_per_row(shop):
    # given: подключение, подписанное на всё, и корзина из двух строк
    everything = ConnectionFactory()
    cart = cart_create(region=shop.msk, lines=[(shop.shirt, 2), (shop.laptop, 1)])
    # when: оформление резервирует остатки одной командой UPDATE (без post_save строк)
    response = checkout_request(cart=cart)
    # then: на каждую строку остатка — событие с новым резервом и доставка подключению
    assert response.status_code == 201, response.content
    events = {
        event.object_id: event.payload
        for event in OutboxEvent.objects.filter(kind="stock.changed", deliveries__connection=everything)
    }
    shirt, laptop = (f"{variant.pk}-{shop.msk_warehouse.pk}" for variant in (shop.shirt, shop.laptop))
    assert set(events) == {shirt, laptop}
    assert (events[shirt]["reserved"], events[shirt]["quantity"]) == (2, 5)
    assert (events[laptop]["reserved"], events[laptop]["quantity"]) == (1, 5)


@pytest.mark.django_db
def test_next_event_of_an_object_waits_for_the_previous_one():
    connection = ConnectionFactory()
    first = outbox_event_add(kind="order.created", object_type="order", object_id=7, payload={})
    second = outbox_event_add(kind="order.paid", object_type="order", object_id=7, payload={})
    other = outbox_event_add(kind="order.created", object_type="order", object_id=8, payload={})

    claimed = deliveries_claim(limit=10)

    assert {delivery.event_id for delivery in claimed} == {first.pk, other.pk}
    Delivery.objects.filter(event=first, connection=connection).update(state=DeliveryState.DEAD)
    assert [delivery.event_id for delivery in deliveries_claim(limit=10)] == [second.pk]


@pytest.mark.django_db
def test_failed_delivery_honours_retry_after_and_goes_dead_after_max_attempts(httpserver, settings):
    # given: получатель всегда отвечает 429 с Retry-After: 30
    settings.INTEGRATIONS_MAX_ATTEMPTS = 3
    settings.INTEGRATIONS_RETRY_CAP_SECONDS = 3600
    httpserver.expect_request("/hook").respond_with_data("busy", status=429, headers={"Retry-After": "30"})
    connection = ConnectionFactory(base_url=httpserver.url_for("/hook"))
    event = outbox_event_add(kind="order.paid", object_type="order", object_id=1, payload={})
    delivery = Delivery.objects.get(event=event, connection=connection)

    # when: первая попытка
    before = timezone.now()
    (claimed,) = deliveries_claim(limit=1)
    delivery_send(claimed)

    # then: следующая — не раньше, чем через 30 с
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING
    assert delivery.next_attempt_at >= before + timedelta(seconds=30)
    assert "429" in delivery.last_error

    # when: попытки исчерпаны
    for _ in range(2):
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        (claimed,) = deliveries_claim(limit=1)
        delivery_send(claimed)

    # then
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DEAD
    assert delivery.attempts == 3
    assert deliveries_claim(limit=1) == []


@pytest.mark.django_db
def test_delivery_sends_signed_json_with_the_idempotency_key(httpserver):
    from integrations.core.signing import hmac_signature_valid

    receiver = FakeReceiver()
    httpserver.expect_request("/hook").respond_with_handler(receiver)
    connection = ConnectionFactory(base_url=httpserver.url_for("/hook"), secrets={"signing_secret": "sign-key-1"})
    event = outbox_event_add(kind="order.paid", object_type="order", object_id=5, payload={"number": "A-1"})

    assert outbox_deliver_due() == 1

    request = httpserver.log[0][0]
    delivery = Delivery.objects.get(event=event, connection=connection)
    assert request.headers["Idempotency-Key"] == str(delivery.idempotency_key)
    assert request.headers["X-Megashop-Event"] == "order.paid"
    assert hmac_signature_valid(
        secret="sign-key-1", body=request.data, signature=request.headers["X-Megashop-Signature"]
    )
    assert receiver.applied[0][2]["data"] == {"number": "A-1"}
    assert delivery.state == DeliveryState.DELIVERED


@pytest.mark.redis_only(reason="настоящий воркер Celery берёт задачи из брокера Redis")
@pytest.mark.django_db(transaction=True)
def test_events_made_while_receiver_is_down_arrive_once_each_in_order_per_order(shop, httpserver, integrations_worker):
    # given: получатель лежит, два подключения на него
    receiver = FakeReceiver()
    receiver.down = True
    httpserver.expect_request("/a").respond_with_handler(receiver)
    httpserver.expect_request("/b").respond_with_handler(receiver)
    first = ConnectionFactory(base_url=httpserver.url_for("/a"))
    second = ConnectionFactory(base_url=httpserver.url_for("/b"))

    # when: заказы оформлены и оплачены, пока получатель лежит
    orders = orders_place_and_pay(shop, 4)
    assert wait_until(lambda: sum(receiver.requests.values()) >= 4, timeout=20)
    assert receiver.applied == []
    receiver.down = False
    assert wait_until(all_delivered, timeout=60)

    # then: каждое событие каждому подключению принято ровно один раз, по порядку внутри заказа
    events = list(OutboxEvent.objects.order_by("pk"))
    assert {event.kind for event in events} >= {"order.created", "order.paid"}
    for connection, path in ((first, "/a"), (second, "/b")):
        keys = {
            str(key) for key in Delivery.objects.filter(connection=connection).values_list("idempotency_key", flat=True)
        }
        assert sorted(receiver.applied_keys(path)) == sorted(keys)
        assert all(receiver.accepted[key] == 1 for key in keys)
        received = receiver.applied_event_ids(path)
        for order in orders:
            expected = [str(event.uuid) for event in events if event.object_id == str(order.pk)]
            assert [event_id for event_id in received if event_id in expected] == expected


@pytest.mark.django_db
def test_wrong_password_keeps_events_waiting_but_a_rejected_event_goes_dead_at_once(httpserver):
    # given: один получатель отвечает 401, другой отвергает событие (422)
    httpserver.expect_request("/auth").respond_with_data("no", status=401)
    httpserver.expect_request("/reject").respond_with_data("bad event", status=422)
    auth = ConnectionFactory(base_url=httpserver.url_for("/auth"))
    reject = ConnectionFactory(base_url=httpserver.url_for("/reject"))
    outbox_event_add(kind="order.paid", object_type="order", object_id=1, payload={})

    # when
    for delivery in deliveries_claim(limit=10):
        delivery_send(delivery)

    # then: неверный пароль исправит администратор — событие ждёт; отвергнутое повторять бесполезно
    assert Delivery.objects.get(connection=auth).state == DeliveryState.PENDING
    assert Delivery.objects.get(connection=reject).state == DeliveryState.DEAD
