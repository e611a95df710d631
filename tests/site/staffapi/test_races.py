"""Два менеджера одновременно меняют статус одного заказа: выигрывает один, второй — 412."""

import threading

import pytest
from django.db import connection

from commerce.orders.models import Order
from staff import roles
from staffapi.models import StaffAction
from tests.factories.orders import OrderFactory
from tests.factories.regions import RegionFactory
from tests.site.staffapi.conftest import BASE, session_client, staff_in_group


@pytest.mark.postgres_only(reason="настоящие потоки с отдельными соединениями и блокировкой строки заказа")
@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_with_one_etag_let_exactly_one_win():
    # given
    order = OrderFactory(region=RegionFactory(code="msk"))
    clients = [session_client(staff_in_group(roles.ORDER_MANAGER)) for _ in range(4)]
    etag = clients[0].get(f"{BASE}orders/{order.number}/")["ETag"]
    targets = ["assembling", "cancelled", "awaiting_payment", "cancelled"]
    barrier = threading.Barrier(len(clients))
    statuses = []

    def attempt(client, to_status):
        try:
            barrier.wait()
            response = client.post(
                f"{BASE}orders/{order.number}/transition/", {"to_status": to_status}, format="json", HTTP_IF_MATCH=etag
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, targets, strict=True)]

    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert sorted(statuses) == [200, 412, 412, 412]
    order = Order.objects.get(pk=order.pk)
    assert order.history.count() == 1
    assert StaffAction.objects.filter(action="order.transition").count() == 1
