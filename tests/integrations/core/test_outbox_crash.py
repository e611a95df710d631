"""Outbox: воркер, убитый SIGKILL посреди доставки, ничего не теряет и не дублирует у получателя."""

import pytest

from integrations.core.models import Delivery, OutboxEvent
from integrations.core.outbox import outbox_event_add
from tests.factories.integrations import ConnectionFactory
from tests.integrations.core.receiver import FakeReceiver
from tests.integrations.helpers import delivered_after_worker_killed


@pytest.mark.redis_only(reason="воркер-подпроцесс берёт задачи из брокера Redis")
@pytest.mark.postgres_only(reason="воркер-подпроцесс подключается к той же базе по сети")
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_delivery_loses_and_duplicates_nothing(httpserver, broker_mode):
    # given: получатель тормозит на первом запросе, у заказов по два события
    receiver = FakeReceiver()
    receiver.slow_first = 4
    httpserver.expect_request("/hook").respond_with_handler(receiver)
    connection = ConnectionFactory(base_url=httpserver.url_for("/hook"))
    for order_id in (1, 2, 3):
        outbox_event_add(kind="order.created", object_type="order", object_id=order_id, payload={})
        outbox_event_add(kind="order.paid", object_type="order", object_id=order_id, payload={})

    # when: воркер отправил запрос и ждёт ответа — его убивают, доставку берёт новый воркер
    delivered = delivered_after_worker_killed(receiver.slow_started)

    # then: все события у получателя ровно по разу, по порядку внутри заказа; убитая доставка повторилась
    assert delivered
    keys = [
        str(key) for key in Delivery.objects.filter(connection=connection).values_list("idempotency_key", flat=True)
    ]
    assert sorted(receiver.applied_keys("/hook")) == sorted(keys)
    assert max(receiver.requests.values()) == 2
    events = list(OutboxEvent.objects.order_by("pk"))
    received = receiver.applied_event_ids("/hook")
    for order_id in ("1", "2", "3"):
        expected = [str(event.uuid) for event in events if event.object_id == order_id]
        assert [event_id for event_id in received if event_id in expected] == expected
